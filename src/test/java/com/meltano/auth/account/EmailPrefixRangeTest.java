package com.meltano.auth.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The range a prefix search reads ({@link UserRepository#prefixEnd}): every string starting with
 * the prefix lies in {@code [prefix, end)} in code-point order, and nothing else does.
 */
class EmailPrefixRangeTest {

    @Test
    void prefixEndWhenAsciiThenLastCharacterIncreased() {
        assertThat(UserRepository.prefixEnd("user-09")).isEqualTo("user-0:");
        assertThat(UserRepository.prefixEnd("ann")).isEqualTo("ano");
    }

    @Test
    void prefixEndWhenLastCharacterIsTheLargestThenTheOneBeforeIncreased() {
        String max = new String(Character.toChars(Character.MAX_CODE_POINT));
        assertThat(UserRepository.prefixEnd("a" + max)).isEqualTo("b");
        assertThat(UserRepository.prefixEnd(max + max)).as("no upper bound").isNull();
    }

    @Test
    void prefixEndWhenNextCodePointWouldBeASurrogateThenSkipsToTheFirstAfterThem() {
        assertThat(UserRepository.prefixEnd("a\uD7FF")).isEqualTo("a\uE000");
    }

    @Test
    void prefixEndWhenSupplementaryCharacterThenIncreasedAsOneCodePoint() {
        String grin = new String(Character.toChars(0x1F600));
        assertThat(UserRepository.prefixEnd("x" + grin)).isEqualTo("x" + new String(Character.toChars(0x1F601)));
    }

    @Test
    void normalizeTypedWhenMixedCaseWithSpacesThenAsStoredEmails() {
        assertThat(Email.normalizeTyped("  Ann.Lee@EXAMPLE ")).isEqualTo(Email.parse("ann.lee@example").normalized());
        assertThat(Email.normalizeTyped(null)).isNull();
    }
}
