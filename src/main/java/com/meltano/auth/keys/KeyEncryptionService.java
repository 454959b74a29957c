package com.meltano.auth.keys;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.StartupFailure;

/**
 * The CDI face of {@link KeyEncryption}, built from the configured key-encryption key(s), or with
 * a PKCS#11 token from the token's AES key (SPEC section 15).
 */
@ApplicationScoped
public class KeyEncryptionService {

    private final KeyEncryption encryption;

    @Inject
    public KeyEncryptionService(AuthConfig config, TokenKeys tokenKeys) {
        Optional<Pkcs11Token> token = tokenKeys.token();
        if (token.isPresent()) {
            // SPEC section 15: the token's AES key wraps; what a software key wrapped is re-wrapped under it at start
            List<KeyEncryptionKey> previous = Stream.of(config.auth().keyEncryptionKeyPrevious(), config.auth().keyEncryptionKey())
                    .flatMap(Optional::stream).map(KeyEncryptionKey::parse).toList();
            this.encryption = new KeyEncryption(tokenKeys.keyEncryptionKey(token.get()), previous);
            return;
        }
        String current = config.auth().keyEncryptionKey().orElseThrow(() -> new StartupFailure(
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", "is not set (the launcher generates one in embedded mode)"));
        this.encryption = new KeyEncryption(KeyEncryptionKey.parse(current),
                config.auth().keyEncryptionKeyPrevious().map(KeyEncryptionKey::parse));
    }

    public byte[] encrypt(byte[] plaintext, String associatedData) {
        return encryption.encrypt(plaintext, associatedData);
    }

    public byte[] decrypt(String kekId, byte[] blob, String associatedData) {
        return encryption.decrypt(kekId, blob, associatedData);
    }

    public boolean isStale(String kekId) {
        return encryption.isStale(kekId);
    }

    /** See {@link KeyEncryption#derive}: 32 bytes, base64url, for secrets several replicas must share. */
    public String derivedSecret(String purpose) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(encryption.derive(purpose));
    }

    public String currentKeyId() {
        return encryption.currentKeyId();
    }

}
