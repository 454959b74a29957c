package com.meltano.auth.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption key (KEK): 32 random bytes given as base64 that wrap every private signing
 * key and the client-secret hash key at rest. Its {@link #id()} is stored beside each wrapped key
 * so that a KEK rotation knows what still needs re-encryption; it is a truncated SHA-256 under a
 * fixed label, which reveals nothing usable about a 256-bit random key.
 */
public final class KeyEncryptionKey {

    public static final int LENGTH = 32;

    /** The id prefix of a key-encryption key inside a PKCS#11 token (SPEC section 15): the label follows. */
    public static final String TOKEN_ID_PREFIX = "pkcs11:";

    private final SecretKey key;
    private final String id;
    /** The token's provider when the key is an AES key inside a PKCS#11 token; null for a software key. */
    private final Provider provider;

    private KeyEncryptionKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
        this.id = idOf(raw);
        this.provider = null;
    }

    private KeyEncryptionKey(SecretKey key, String id, Provider provider) {
        this.key = key;
        this.id = id;
        this.provider = provider;
    }

    /** Parses base64 (standard or URL alphabet); the exception message never contains the value. */
    public static KeyEncryptionKey parse(String base64) {
        byte[] raw;
        try {
            String trimmed = base64.trim();
            raw = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid base64");
        }
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("must be base64 of exactly 32 bytes, got " + raw.length);
        }
        KeyEncryptionKey kek = new KeyEncryptionKey(raw);
        Arrays.fill(raw, (byte) 0);
        return kek;
    }

    public SecretKey secretKey() {
        return key;
    }

    public String id() {
        return id;
    }

    private static String idOf(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("meltano-auth kek id".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest(raw);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[id=" + id + "]";
    }

    /** An AES-256 key inside a PKCS#11 token, labelled {@code label} there (SPEC section 15); it never leaves the token. */
    static KeyEncryptionKey inToken(SecretKey key, String label, Provider provider) {
        return new KeyEncryptionKey(key, TOKEN_ID_PREFIX + label, provider);
    }

    /** Whether what is stored under {@code kekId} was wrapped inside a PKCS#11 token. */
    public static boolean isInToken(String kekId) {
        return kekId != null && kekId.startsWith(TOKEN_ID_PREFIX);
    }

    boolean inToken() {
        return provider != null;
    }

    /** AES-GCM from the provider that holds the key: the token's, or the JDK's default. */
    Cipher gcm() throws GeneralSecurityException {
        return provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
    }

    /**
     * For a key in a token, which cannot be exported into an HMAC: AES (a pseudo-random permutation)
     * of the two halves of SHA-256 of the purpose, computed in the token; 32 bytes, the same on
     * every replica that shares the token.
     */
    byte[] deriveInToken(String purpose) throws GeneralSecurityException {
        byte[] input = MessageDigest.getInstance("SHA-256")
                .digest(("meltano-auth derived secret: " + purpose).getBytes(StandardCharsets.UTF_8));
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding", provider);
        aes.init(Cipher.ENCRYPT_MODE, key);
        return aes.doFinal(input);
    }
}
