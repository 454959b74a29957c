package com.meltano.auth.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps secrets at rest with AES-256-GCM under the key-encryption key. The associated data binds a
 * ciphertext to its row (the {@code kid} for a signing key), so a ciphertext copied onto another
 * row does not decrypt. Layout: 12-byte random IV followed by ciphertext and 128-bit tag.
 */
public final class KeyEncryption {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyEncryptionKey current;
    private final List<KeyEncryptionKey> previous;

    public KeyEncryption(KeyEncryptionKey current, Optional<KeyEncryptionKey> previous) {
        this(current, previous.stream().toList());
    }

    /** {@code previous}: every key whose wrapped secrets are re-wrapped under {@code current} (a move to a PKCS#11 token may bring two). */
    public KeyEncryption(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {
        this.current = current;
        this.previous = List.copyOf(previous);
    }

    public String currentKeyId() {
        return current.id();
    }

    /**
     * A secret for {@code purpose} derived from the current key-encryption key (HMAC-SHA-256), the
     * same on every replica that shares the key and different for every purpose.
     */
    public byte[] derive(String purpose) {
        try {
            if (current.inToken()) {
                return current.deriveInToken(purpose);
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(current.secretKey().getEncoded(), "HmacSHA256"));
            return mac.doFinal(("meltano-auth derived secret: " + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    public byte[] encrypt(byte[] plaintext, String associatedData) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = current.gcm();
            cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts what was stored under the key-encryption key with id {@code kekId} (the current one
     * or, during a rotation, the previous one).
     *
     * @throws UndecryptableKeyException when no configured key has that id or the tag does not verify
     */
    public byte[] decrypt(String kekId, byte[] blob, String associatedData) {
        KeyEncryptionKey kek = keyWithId(kekId).orElseThrow(() -> new UndecryptableKeyException(
                "stored keys were encrypted under a key-encryption key that is not configured (id " + kekId + ")"));
        if (blob.length <= IV_BYTES) {
            throw new UndecryptableKeyException("a stored key is truncated");
        }
        try {
            Cipher cipher = kek.gcm();
            cipher.init(Cipher.DECRYPT_MODE, kek.secretKey(), new GCMParameterSpec(TAG_BITS, blob, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(blob, IV_BYTES, blob.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new UndecryptableKeyException("a stored key does not decrypt under the configured key-encryption key");
        }
    }

    /** Whether something stored under {@code kekId} should be re-encrypted under the current key. */
    public boolean isStale(String kekId) {
        return !current.id().equals(kekId);
    }

    private Optional<KeyEncryptionKey> keyWithId(String kekId) {
        if (current.id().equals(kekId)) {
            return Optional.of(current);
        }
        return previous.stream().filter(p -> p.id().equals(kekId)).findFirst();
    }

    /** A stored key cannot be decrypted: the server must stop rather than generate new keys. */
    public static final class UndecryptableKeyException extends RuntimeException {
        public UndecryptableKeyException(String message) {
            super(message, null, false, false);
        }
    }
}
