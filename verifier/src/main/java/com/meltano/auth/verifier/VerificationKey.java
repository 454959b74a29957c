package com.meltano.auth.verifier;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * A public key from the issuer's JWKS, decoded once, and the JDK signature check for its one
 * algorithm: RS256 (RSA, at least 2048 bits), ES256 (P-256, the 64-byte r||s form of RFC 7518
 * section 3.4, with r and s checked to lie in [1, n-1] before the JDK sees them) or EdDSA (Ed25519).
 */
final class VerificationKey {

    /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410), before the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final String alg;
    private final PublicKey key;
    private final BigInteger curveOrder;

    private VerificationKey(String alg, PublicKey key, BigInteger curveOrder) {
        this.alg = alg;
        this.key = key;
        this.curveOrder = curveOrder;
    }

    /** The key, or null when the JWK is not a signing key this library accepts. */
    static VerificationKey of(JWK jwk) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        try {
            if (jwk instanceof RSAKey rsa && (jwk.getAlgorithm() == null || "RS256".equals(jwk.getAlgorithm().getName()))
                    && rsa.size() >= 2048) {
                return new VerificationKey("RS256", rsa.toRSAPublicKey(), null);
            }
            if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())
                    && (jwk.getAlgorithm() == null || "ES256".equals(jwk.getAlgorithm().getName()))) {
                ECPublicKey pub = ec.toECPublicKey();
                return new VerificationKey("ES256", pub, pub.getParams().getOrder());
            }
            if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())
                    && (jwk.getAlgorithm() == null || "EdDSA".equals(jwk.getAlgorithm().getName()))) {
                byte[] x = okp.getX().decode();
                byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + x.length);
                System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
                return new VerificationKey("EdDSA", KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)), null);
            }
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            return null; // a malformed key is as good as absent
        }
        return null;
    }

    String alg() {
        return alg;
    }

    /** Whether {@code signature} is this key's signature of {@code signingInput} under {@code alg}. */
    boolean verify(byte[] signingInput, byte[] signature) {
        try {
            Signature s = switch (alg) {
                case "RS256" -> Signature.getInstance("SHA256withRSA");
                case "ES256" -> {
                    if (!validEcdsa(signature)) {
                        yield null;
                    }
                    yield Signature.getInstance("SHA256withECDSAinP1363Format");
                }
                default -> Signature.getInstance("Ed25519");
            };
            if (s == null) {
                return false;
            }
            s.initVerify(key);
            s.update(signingInput);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** r and s of an ES256 signature: 32 bytes each, in [1, n-1] (no r = s = 0, CVE-2022-21449). */
    private boolean validEcdsa(byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(curveOrder) < 0 && s.compareTo(curveOrder) < 0;
    }
}
