package com.meltano.auth.keys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import com.meltano.auth.config.SigningAlgorithm;

/**
 * Key generation, decoding and public JWK export (RFC 7517, 7518 section 6, RFC 8037 for OKP),
 * with the {@code kid} set to the RFC 7638 thumbprint. RSA and P-256 keys are the JDK's (they sign
 * through {@link SoftwareSigners}); Ed25519 uses Bouncy Castle's provider, whose implementation signs
 * several times faster than the JDK's.
 */
public final class KeyMaterial {

    /** Bouncy Castle's provider, built on first use (only Ed25519 needs it): its ~1,000 classes cost ~0.25 s of a start. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
    private static final int ED25519_SPKI_PREFIX = 12;

    private KeyMaterial() {
    }

    static Provider bc() {
        return BouncyCastle.PROVIDER;
    }

    public static KeyPair generate(SigningAlgorithm alg) {
        try {
            return switch (alg) {
                case RS256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    yield g.generateKeyPair();
                }
                case ES256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    yield g.generateKeyPair();
                }
                case EdDSA -> KeyPairGenerator.getInstance("Ed25519", bc()).generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
    }

    public static PrivateKey decodePrivate(SigningAlgorithm alg, byte[] pkcs8) throws GeneralSecurityException {
        return keyFactory(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** Public keys are decoded with the JDK's own providers: verifiers (jose4j) expect the JDK key types. */
    public static PublicKey decodePublic(SigningAlgorithm alg, byte[] spki) throws GeneralSecurityException {
        String type = switch (alg) {
            case RS256 -> "RSA";
            case ES256 -> "EC";
            case EdDSA -> "Ed25519";
        };
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(spki));
    }

    private static KeyFactory keyFactory(SigningAlgorithm alg) throws GeneralSecurityException {
        return switch (alg) {
            case RS256 -> KeyFactory.getInstance("RSA");
            case ES256 -> KeyFactory.getInstance("EC");
            case EdDSA -> KeyFactory.getInstance("Ed25519", bc());
        };
    }

    /** The required public members of the JWK, in the lexicographic order RFC 7638 hashes them in. */
    static Map<String, String> requiredMembers(SigningAlgorithm alg, PublicKey key) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (alg) {
            case RS256 -> {
                RSAPublicKey rsa = (RSAPublicKey) key;
                m.put("e", b64(unsigned(rsa.getPublicExponent())));
                m.put("kty", "RSA");
                m.put("n", b64(unsigned(rsa.getModulus())));
            }
            case ES256 -> {
                ECPublicKey ec = (ECPublicKey) key;
                m.put("crv", "P-256");
                m.put("kty", "EC");
                m.put("x", b64(fixed(ec.getW().getAffineX(), 32)));
                m.put("y", b64(fixed(ec.getW().getAffineY(), 32)));
            }
            case EdDSA -> {
                byte[] spki = key.getEncoded();
                m.put("crv", "Ed25519");
                m.put("kty", "OKP");
                m.put("x", b64(Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX, spki.length)));
            }
        }
        return m;
    }

    /** RFC 7638 thumbprint: SHA-256 of the required members as compact JSON, base64url. */
    static String thumbprint(Map<String, String> required) {
        StringBuilder json = new StringBuilder("{");
        required.forEach((k, v) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(k).append("\":\"").append(v).append('"');
        });
        json.append('}');
        try {
            return b64(MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK as published: required members plus {@code kid}, {@code alg}, {@code use}. */
    static Map<String, String> publicJwk(SigningAlgorithm alg, PublicKey key) {
        Map<String, String> required = requiredMembers(alg, key);
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kty", required.get("kty"));
        jwk.put("kid", thumbprint(required));
        jwk.put("use", "sig");
        jwk.put("alg", alg.jwsName());
        required.forEach(jwk::putIfAbsent);
        return jwk;
    }

    private static String b64(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = unsigned(value);
        if (bytes.length == length) {
            return bytes;
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }
}
