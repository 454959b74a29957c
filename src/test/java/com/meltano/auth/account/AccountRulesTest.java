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
    @ValueSource(strings = { "", " ", "alice", "@example.com", "alice@", "a@b@c", "al ice@example.com", "a<b>@example.com",
        // what no mail can be delivered to: empty labels, dots at the ends of either part, hyphens at a label's ends
        "x@b..com", "x@.example.com", "x@example.com.", ".x@example.com", "x.@example.com", "x..y@example.com",
        "x@-example.com", "x@example-.com", "x@example.-com",
        // invisible characters that make one address read as another: a right-to-left override, a zero-width space,
        // a no-break space
        "adm\u202Enim@example.com", "admin\u200B@example.com", "admin\u00A0x@example.com", "a\\b@example.com" })
    void emailWhenNotAnAddressThenRefused(String raw) {
        assertThatThrownBy(() -> Email.parse(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "alice@example.com", "a.b-c+tag@sub.example-site.co.uk", "jürgen@exämple.de", "x@localhost",
        "用户@例子.广告", "o'brien@example.ie" })
    void emailWhenAnAddressMailCarriesThenTaken(String raw) {
        assertThat(Email.parse(raw).value()).isEqualTo(raw);
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
