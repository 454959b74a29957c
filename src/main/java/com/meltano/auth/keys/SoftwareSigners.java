package com.meltano.auth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;

import org.jboss.logging.Logger;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import com.meltano.auth.config.SigningAlgorithm;

/**
 * The signers of keys held in memory (not in a PKCS#11 token). RS256 and ES256 sign through the
 * Amazon Corretto Crypto Provider, AWS-LC's RSA and P-256 reached through JNI, whose jar carries
 * the native library for Linux on x86-64: on 2 threads here it signs RS256 3.3 times and ES256
 * 4.5 times as fast as the JDK's RSA and Bouncy Castle's P-256 ({@code bench/SignRate.java}).
 * Each key is handed to it once, as its own key object. The provider is loaded by the first
 * signature, not at start (unpacking and linking its library costs 0.3 s of CPU), and is never
 * installed: TLS, random numbers, PKCS#11 and every verification keep the JDK's providers.
 * Where it cannot load (another system or processor, a temporary directory mounted noexec), keys
 * sign portably, after one warning: RSA by the JDK, P-256 by {@link P256}; Ed25519 always by
 * Bouncy Castle (the native provider refuses its keys).
 */
final class SoftwareSigners {

    private static final Logger LOG = Logger.getLogger(SoftwareSigners.class);

    /** The native provider, or null when it cannot load here; looked up once, by the first signature. */
    private static final class Native {
        static final Provider PROVIDER = load();

        private static Provider load() {
            Object why;
            try {
                AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
                why = provider.getLoadingError();
                if (why == null) {
                    provider.assertHealthy();
                    return provider;
                }
            } catch (RuntimeException | LinkageError e) {
                why = e;
            }
            LOG.warnf("AWS-LC (the Amazon Corretto Crypto Provider) cannot load here, so RS256 and ES256 keys sign"
                    + " with the JDK and Bouncy Castle, several times slower: %s", why);
            return null;
        }
    }

    private SoftwareSigners() {
    }

    /** The fastest signer available here for {@code key}. */
    static Signer of(SigningAlgorithm alg, PrivateKey key) throws GeneralSecurityException {
        Provider provider = alg == SigningAlgorithm.EdDSA ? null : Native.PROVIDER;
        if (provider == null) {
            return portable(alg, key);
        }
        if (alg == SigningAlgorithm.ES256) {
            P256.requireP256((ECPrivateKey) key);
        }
        PrivateKey own = (PrivateKey) KeyFactory.getInstance(alg == SigningAlgorithm.RS256 ? "RSA" : "EC", provider).translateKey(key);
        return Signer.jca(alg, provider, own);
    }

    /** Whether RS256 and ES256 sign natively here (loads the provider if not yet loaded). */
    static boolean nativeAvailable() {
        return Native.PROVIDER != null;
    }

    /** The signer of {@code key} in Java alone, used where the native provider cannot load. */
    static Signer portable(SigningAlgorithm alg, PrivateKey key) {
        return switch (alg) {
            case RS256 -> Signer.jca(alg, null, key);
            case ES256 -> new P256((ECPrivateKey) key);
            case EdDSA -> Signer.jca(alg, KeyMaterial.bc(), key);
        };
    }
}
