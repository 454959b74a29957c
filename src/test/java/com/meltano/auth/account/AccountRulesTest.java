package com.meltano.auth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountRulesTest {

    @Test
    void emailWhenSurroundedBySpacesAndMixedCaseThenTrimmedAndNormalized() {
        Email e = Email.parse("  Alice@Example.COM ");
        assertThat(e.value()).isEqualTo("Alice@Example.COM");
        assertThat(e.normalized()).isEqualTo("alice@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "alice", "@example.com", "alice@", "a@b@c", "al ice@example.com", "a<b>@example.com" })
    void emailWhenNotAnAddressThenRefused(String raw) {
        assertThatThrownBy(() -> Email.parse(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordPolicyWhenLengthOrEmailThenReasonNamed() {
        assertThat(PasswordPolicy.violation("1234567", "a@example.com")).hasValueSatisfying(r -> assertThat(r).contains("at least 8"));
        assertThat(PasswordPolicy.violation("x".repeat(129), "a@example.com")).hasValueSatisfying(r -> assertThat(r).contains("at most 128"));
        assertThat(PasswordPolicy.violation(" A@Example.com ", "a@example.com")).hasValueSatisfying(r -> assertThat(r).contains("email"));
        assertThat(PasswordPolicy.violation("x".repeat(128), "a@example.com")).isEmpty();
        assertThat(PasswordPolicy.violation("😀".repeat(8), "a@example.com")).isEmpty(); // 8 code points
        assertThat(PasswordPolicy.violation("😀".repeat(4), "a@example.com")).isPresent();
    }
}
