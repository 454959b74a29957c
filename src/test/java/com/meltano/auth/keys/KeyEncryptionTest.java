package com.meltano.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

    private static KeyEncryptionKey randomKek() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return KeyEncryptionKey.parse(Base64.getEncoder().encodeToString(raw));
    }

    private final byte[] secret = "private key bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void decryptWhenSameKeyAndKidThenPlaintext() {
        KeyEncryption enc = new KeyEncryption(randomKek(), Optional.empty());
        byte[] sealed = enc.encrypt(secret, "kid-1");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(new String(secret, StandardCharsets.ISO_8859_1));
        assertThat(enc.decrypt(enc.currentKeyId(), sealed, "kid-1")).isEqualTo(secret);
    }

    @Test
    void decryptWhenCiphertextMovedToAnotherKidThenRefused() {
        KeyEncryption enc = new KeyEncryption(randomKek(), Optional.empty());
        byte[] sealed = enc.encrypt(secret, "kid-1");
        assertThatThrownBy(() -> enc.decrypt(enc.currentKeyId(), sealed, "kid-2"))
                .isInstanceOf(KeyEncryption.UndecryptableKeyException.class);
    }

    @Test
    void decryptWhenWrongKeyThenRefusedWithoutRevealingKey() {
        KeyEncryption a = new KeyEncryption(randomKek(), Optional.empty());
        KeyEncryption b = new KeyEncryption(randomKek(), Optional.empty());
        byte[] sealed = a.encrypt(secret, "kid-1");
        assertThatThrownBy(() -> b.decrypt(a.currentKeyId(), sealed, "kid-1"))
                .isInstanceOf(KeyEncryption.UndecryptableKeyException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void decryptWhenStoredUnderPreviousKeyThenOpensAndIsStale() {
        KeyEncryptionKey old = randomKek();
        byte[] sealed = new KeyEncryption(old, Optional.empty()).encrypt(secret, "kid-1");
        KeyEncryption rotated = new KeyEncryption(randomKek(), Optional.of(old));
        assertThat(rotated.decrypt(old.id(), sealed, "kid-1")).isEqualTo(secret);
        assertThat(rotated.isStale(old.id())).isTrue();
    }

    @Test
    void decryptWhenTamperedThenRefused() {
        KeyEncryption enc = new KeyEncryption(randomKek(), Optional.empty());
        byte[] sealed = enc.encrypt(secret, "kid-1");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> enc.decrypt(enc.currentKeyId(), sealed, "kid-1"))
                .isInstanceOf(KeyEncryption.UndecryptableKeyException.class);
    }

    @Test
    void parseWhenNot32BytesOrNotBase64ThenRefusedWithoutEchoingValue() {
        assertThatThrownBy(() -> KeyEncryptionKey.parse(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> KeyEncryptionKey.parse("not-base64!!secretish"))
                .hasMessageNotContaining("secretish");
    }
}
