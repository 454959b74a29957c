package com.meltano.auth.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

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

    private final SecretKey key;
    private final String id;

    private KeyEncryptionKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
        this.id = idOf(raw);
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
}
