package com.meltano.auth.keys;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.jboss.logging.Logger;

import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.config.StartupFailure;

/**
 * One PKCS#11 token opened through the JDK's own provider, SunPKCS11 (SPEC section 15). The
 * provider is configured by slot, not by token label, so the slot whose token carries the label is
 * looked up first through the provider's wrapper (exported to this code by {@code Add-Exports}).
 * Key pairs are generated as token objects, sensitive and non-extractable (the provider's
 * {@code attributes(generate, ...)} settings); the public half is a session object, and a minimal
 * self-signed certificate is stored beside the private key because the provider's key store finds
 * private keys only through a certificate with the same label. Private keys never leave the token:
 * what is held here are handles.
 */
public final class Pkcs11Token {

    public static final String LIBRARY = "MELTANO_AUTH_PKCS11_LIBRARY";
    public static final String TOKEN_LABEL = "MELTANO_AUTH_PKCS11_TOKEN_LABEL";
    public static final String PIN = "MELTANO_AUTH_PKCS11_PIN";

    private static final Logger LOG = Logger.getLogger(Pkcs11Token.class);
    private static final String PRIVATE_ATTRIBUTES = "{\n  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n}\n";

    private final Provider provider;
    private final KeyStore store;
    private final char[] pin;

    private Pkcs11Token(Provider provider, KeyStore store, char[] pin) {
        this.provider = provider;
        this.store = store;
        this.pin = pin;
    }

    /**
     * Opens the token and logs in; every failure is one line naming the variable to fix, never the PIN.
     *
     * @throws StartupFailure on a module that does not load, no token with that label, or a refused PIN
     */
    public static Pkcs11Token open(String library, String tokenLabel, String pin) {
        if (!Path.of(library).isAbsolute() || !Files.isRegularFile(Path.of(library))) {
            throw new StartupFailure(LIBRARY, "is not an absolute path to a PKCS#11 module file");
        }
        if (library.indexOf('"') >= 0 || library.indexOf('\\') >= 0) {
            throw new StartupFailure(LIBRARY, "contains a quote or a backslash, which the JDK's PKCS#11 configuration cannot hold");
        }
        long slot = slotOf(library, tokenLabel);
        // quoted: the provider's configuration splits an unquoted value at its first space
        String config = "--name = meltano-auth\nlibrary = \"" + library + "\"\nslot = " + slot + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = " + PRIVATE_ATTRIBUTES
                + "attributes(generate, CKO_SECRET_KEY, *) = " + PRIVATE_ATTRIBUTES
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = false\n}\n";
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11").configure(config);
        } catch (RuntimeException e) {
            throw new StartupFailure(LIBRARY, "the JDK's PKCS#11 provider cannot use this module (" + e.getClass().getSimpleName() + ")");
        }
        char[] pinChars = pin.toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pinChars);
            return new Pkcs11Token(provider, store, pinChars);
        } catch (java.io.IOException e) {
            throw new StartupFailure(PIN, "the token labelled " + tokenLabel + " refused the login");
        } catch (GeneralSecurityException e) {
            throw new StartupFailure(TOKEN_LABEL, "the token cannot be opened (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The slot whose token has the label, through the provider's own wrapper (reflectively: it is
     * internal to the JDK and exported to this code by the launcher's {@code Add-Exports}).
     */
    private static long slotOf(String library, String tokenLabel) {
        Object module;
        Class<?> wrapper;
        try {
            wrapper = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
            Class<?> initArgs = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
            module = wrapper.getMethod("getInstance", String.class, String.class, initArgs, boolean.class)
                    .invoke(null, library, "C_GetFunctionList", null, false);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | RuntimeException e) {
            throw new StartupFailure(LIBRARY, "the JVM does not give access to its PKCS#11 wrapper (run with"
                    + " --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED)");
        } catch (InvocationTargetException | LinkageError e) {
            throw new StartupFailure(LIBRARY, "cannot be loaded as a PKCS#11 module");
        }
        try {
            Method tokenInfo = wrapper.getMethod("C_GetTokenInfo", long.class);
            for (long slot : (long[]) wrapper.getMethod("C_GetSlotList", boolean.class).invoke(module, true)) {
                Object info = tokenInfo.invoke(module, slot);
                char[] label = (char[]) info.getClass().getField("label").get(info);
                if (new String(label).strip().equals(tokenLabel)) {
                    return slot;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new StartupFailure(LIBRARY, "the module cannot list its tokens (" + e.getClass().getSimpleName() + ")");
        }
        throw new StartupFailure(TOKEN_LABEL, "no token with this label in the PKCS#11 module");
    }

    /**
     * Generates a key pair inside the token and stores the private key under {@code label}.
     *
     * @return the public key, as a JDK key (the token's own object lives only in this session)
     */
    synchronized PublicKey generate(SigningAlgorithm alg, String label) throws GeneralSecurityException {
        KeyPair pair = switch (alg) {
            case RS256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", provider);
                g.initialize(2048);
                yield g.generateKeyPair();
            }
            case ES256 -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
                g.initialize(new ECGenParameterSpec("secp256r1"));
                yield g.generateKeyPair();
            }
            case EdDSA -> throw new GeneralSecurityException("the JDK's PKCS#11 provider has no Ed25519");
        };
        store.setEntry(label, new KeyStore.PrivateKeyEntry(pair.getPrivate(),
                new Certificate[] {SelfSignedCertificate.create(alg, pair, label, provider)}), null);
        return KeyMaterial.decodePublic(alg, pair.getPublic().getEncoded());
    }

    /**
     * The handle of the private key stored under {@code label}; reads the token again when it is
     * not known yet (another replica generated it).
     */
    synchronized PrivateKey privateKey(String label) throws GeneralSecurityException {
        try {
            if (!store.containsAlias(label)) {
                store.load(null, pin);
            }
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("the token cannot be read again", e);
        }
        if (store.getKey(label, null) instanceof PrivateKey key) {
            return key;
        }
        throw new GeneralSecurityException("no private key labelled " + label + " in the token");
    }

    /** The signer of {@code key}, a private key object of this token: the token computes each signature. */
    Signer signer(SigningAlgorithm alg, PrivateKey key) throws GeneralSecurityException {
        if (alg == SigningAlgorithm.EdDSA) {
            throw new GeneralSecurityException("the JDK's PKCS#11 provider has no Ed25519");
        }
        return Signer.jca(alg, provider, key);
    }

    /** The labels of the private keys in the token, as the provider lists them. */
    public synchronized List<String> privateKeyLabels() throws GeneralSecurityException {
        List<String> labels = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias) && store.getKey(alias, null) instanceof PrivateKey) {
                labels.add(alias);
            }
        }
        return labels;
    }

    /**
     * The AES-256 key-encryption key stored in the token under {@code label}, generated there
     * (sensitive, non-extractable) when absent. The caller serializes creation across replicas.
     */
    synchronized KeyEncryptionKey keyEncryptionKey(String label) throws GeneralSecurityException {
        try {
            store.load(null, pin); // another replica may have created it since this one opened the token
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("the token cannot be read again", e);
        }
        if (store.getKey(label, null) instanceof SecretKey stored) {
            return KeyEncryptionKey.inToken(stored, label, provider);
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(256);
        SecretKey key = generator.generateKey();
        store.setEntry(label, new KeyStore.SecretKeyEntry(key), null);
        return KeyEncryptionKey.inToken(key, label, provider);
    }

    /**
     * Destroys the key pair stored under {@code label} (a retired key whose tokens have all
     * expired); a failure is logged, not raised: the row is gone, and the object signs nothing.
     */
    synchronized void delete(String label) {
        try {
            if (!store.containsAlias(label)) {
                store.load(null, pin);
            }
            if (store.containsAlias(label)) {
                store.deleteEntry(label);
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            LOG.warnf("cannot destroy the retired key %s in the PKCS#11 token (%s)", label, e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Token[" + provider.getName() + "]"; // never the PIN
    }
}
