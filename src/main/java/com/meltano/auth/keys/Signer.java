package com.meltano.auth.keys;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;

import com.meltano.auth.config.SigningAlgorithm;

/** A private key's JWS signature primitive (RFC 7518 section 3): the signature bytes over a signing input. */
@FunctionalInterface
interface Signer {

    byte[] sign(byte[] signingInput) throws GeneralSecurityException;

    /**
     * Signs through a JCA {@link Signature} of {@code provider} (null: the JDK's own), a new one
     * per signature: the lookup costs next to nothing beside the signature, and a {@code Signature}
     * is not for several threads. The JWS form: ES256 as R || S.
     */
    static Signer jca(SigningAlgorithm alg, Provider provider, PrivateKey key) {
        String algorithm = switch (alg) {
            case RS256 -> "SHA256withRSA";
            case ES256 -> "SHA256withECDSAinP1363Format";
            case EdDSA -> "Ed25519";
        };
        return signingInput -> {
            Signature signature = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
            signature.initSign(key);
            signature.update(signingInput);
            return signature.sign();
        };
    }
}
