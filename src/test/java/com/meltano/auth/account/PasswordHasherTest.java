package com.meltano.auth.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.LegacyHash;
import com.sun.management.ThreadMXBean;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashWhenCreatedThenArgon2idAtOwaspsSevenMibSettingWithRandomSalt() {
        String a = hasher.hash("correct horse battery staple");
        String b = hasher.hash("correct horse battery staple");
        assertThat(a).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
        assertThat(a).isNotEqualTo(b).doesNotContain("correct");
    }

    @Test
    void verifyWhenSamePasswordThenTrueElseFalse() {
        String hash = hasher.hash("pässwörd-ünicode-😀");
        assertThat(hasher.verify("pässwörd-ünicode-😀", hash)).isTrue();
        assertThat(hasher.verify("pässwörd-ünicode-😁", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void verifyWhenHashStoredAtOlderParametersThenCheckedAtThoseAndNotCurrent() {
        assertThat(hasher.verify(LegacyHash.PASSWORD, LegacyHash.HASH)).isTrue();
        assertThat(hasher.verify(LegacyHash.PASSWORD + "!", LegacyHash.HASH)).isFalse();
        assertThat(hasher.isCurrent(LegacyHash.HASH)).isFalse();
        assertThat(hasher.isCurrent(hasher.hash("new"))).isTrue();
        assertThat(hasher.isCurrent(null)).isFalse();
    }

    @Test
    void verifyWhenStoredHashMalformedThenFalse() {
        assertThat(hasher.verify("x", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("x", "plaintext")).isFalse();
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=zz,t=2,p=1$AAAA$AAAA")).isFalse();
    }

    @Test
    void hashWhenOneAtATimeThenOneBlockSetServesThemAll() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long blockSet = PasswordHasher.MEMORY_KIB * 1024L;
        long before = threads.getCurrentThreadAllocatedBytes();
        hasher.hash("first");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isGreaterThan(blockSet);

        long afterFirst = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 3; i++) {
            assertThat(hasher.verify("wrong", hasher.hash("next " + i))).isFalse();
        }

        // six more hashes, one at a time, reuse the first block set: none allocates another 7 MiB
        assertThat(threads.getCurrentThreadAllocatedBytes() - afterFirst).isLessThan(blockSet / 4);
    }

    @Test
    void releaseWhenNoHashForTheIdleTimeThenBlockSetsDroppedAndTheNextHashAllocatesAgain() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long blockSet = PasswordHasher.MEMORY_KIB * 1024L;
        String stored = hasher.hash("kept");
        long now = System.nanoTime();

        assertThat(hasher.releaseIfIdle(now)).isFalse();
        assertThat(hasher.releaseIfIdle(now + PasswordHasher.IDLE_RELEASE.toNanos() + 1)).isTrue();
        assertThat(hasher.releaseIfIdle(now + 2 * PasswordHasher.IDLE_RELEASE.toNanos())).isFalse();

        long before = threads.getCurrentThreadAllocatedBytes();
        assertThat(hasher.verify("kept", stored)).isTrue();
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isGreaterThan(blockSet);
    }
}
