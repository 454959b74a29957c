package com.meltano.auth.oauth2.token;

import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * What a downstream service does (SPEC section 7), built from Nimbus only, never from the
 * server's classes: fetch the JWKS over HTTP, select the key by {@code kid} and {@code alg}, check
 * {@code typ at+jwt}, {@code iss}, {@code aud} and {@code exp}.
 *
 * <p>Nimbus verifies Ed25519 only through Google Tink, which is not on the test classpath, and its
 * {@code OctetKeyPair} does not convert to a JDK key. For EdDSA the key selection from the JWKS
 * and all claim checks stay Nimbus's, and the signature itself is checked with the JDK's Ed25519
 * (the server signs with Bouncy Castle and verifies with jose4j, so this is still independent).
 */
final class IndependentVerifier {

    static final String AUDIENCE = "meltano";

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private IndependentVerifier() {
    }

    /** A processor accepting only {@code alg}, the JWKS at {@code jwks}, and tokens from {@code issuer}. */
    static DefaultJWTProcessor<SecurityContext> processor(URL jwks, JWSAlgorithm alg, String issuer) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        if (JWSAlgorithm.Family.ED.contains(alg)) {
            p.setJWSKeySelector(ed25519Keys(keys, alg));
            p.setJWSVerifierFactory(new JdkEd25519VerifierFactory());
        } else {
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, keys));
        }
        // a HashSet: Nimbus asks the accepted audiences whether they contain null
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of(AUDIENCE)),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"), null));
        return p;
    }

    private static JWSKeySelector<SecurityContext> ed25519Keys(JWKSource<SecurityContext> source, JWSAlgorithm alg) {
        return (JWSHeader header, SecurityContext ctx) -> {
            if (!alg.equals(header.getAlgorithm())) {
                return List.of();
            }
            JWKMatcher matcher = new JWKMatcher.Builder().keyType(KeyType.OKP).curve(Curve.Ed25519)
                    .keyID(header.getKeyID()).keyUses(KeyUse.SIGNATURE, null).algorithms(alg, null).build();
            List<Key> keys = new ArrayList<>();
            for (JWK jwk : source.get(new JWKSelector(matcher), ctx)) {
                keys.add(toJdk((OctetKeyPair) jwk));
            }
            return keys;
        };
    }

    private static PublicKey toJdk(OctetKeyPair jwk) throws KeySourceException {
        byte[] x = jwk.getX().decode();
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + x.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new KeySourceException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Nimbus's factory, except that Ed25519 signatures are checked with the JDK. */
    private static final class JdkEd25519VerifierFactory extends DefaultJWSVerifierFactory {
        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            if (JWSAlgorithm.Family.ED.contains(header.getAlgorithm()) && key instanceof PublicKey publicKey) {
                return new JdkEd25519Verifier(publicKey);
            }
            return super.createJWSVerifier(header, key);
        }
    }

    private static final class JdkEd25519Verifier implements JWSVerifier {
        private final PublicKey key;
        private final JCAContext jca = new JCAContext();

        JdkEd25519Verifier(PublicKey key) {
            this.key = key;
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
                return false; // RFC 7515 section 4.1.11: we understand no extension
            }
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(signingInput);
                return s.verify(signature.decode());
            } catch (SignatureException e) {
                return false; // a malformed signature is an invalid one
            } catch (GeneralSecurityException e) {
                throw new JOSEException(e.getMessage(), e);
            }
        }
    }
}
