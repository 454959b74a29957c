package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code MELTANO_AUTH_SMTP_URL} (SPEC section 12): what an operator may write, and what is refused without echoing it. */
class SmtpUrlTest {

    @Test
    void parseWhenSmtpWithoutPortThenPort25AndStartTlsWhenOffered() {
        assertThat(SmtpUrl.parse("smtp://mail.example.com")).isEqualTo(new SmtpUrl("mail.example.com", 25, false));
    }

    @Test
    void parseWhenSmtpsThenTlsFromTheFirstByteOnPort465() {
        assertThat(SmtpUrl.parse("smtps://mail.example.com")).isEqualTo(new SmtpUrl("mail.example.com", 465, true));
        assertThat(SmtpUrl.parse("SMTPS://mail.example.com:2465/")).isEqualTo(new SmtpUrl("mail.example.com", 2465, true));
    }

    @Test
    void parseWhenSubmissionPortOrIpv6LiteralThenKept() {
        assertThat(SmtpUrl.parse("smtp://smtp.relay.example:587")).isEqualTo(new SmtpUrl("smtp.relay.example", 587, false));
        assertThat(SmtpUrl.parse("smtp://[::1]:2525")).isEqualTo(new SmtpUrl("::1", 2525, false));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://relay-host.invalid", "relay-host.invalid:25", "smtp:///relay-nohost", "smtp:relay-host.invalid",
        "smtp://relay-host.invalid/relay-path", "smtp://relay-host.invalid?auth=relay-query", "smtp://relay-host.invalid#relay-frag",
        "smtp://relay-host.invalid:notaport", "smtp://relay-host.invalid:0", "smtp://relay-host.invalid:65536",
        "smtp://relay-host.invalid:99999", "smtp://relay user@relay-host.invalid", "not a url at all" })
    void parseWhenMalformedThenRefusedWithoutEchoingTheValue(String raw) {
        assertThatThrownBy(() -> SmtpUrl.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("relay-").doesNotContain(raw));
    }

    @Test
    void parseWhenCredentialsInTheUrlThenRefusedNamingTheirVariablesNotThem() {
        assertThatThrownBy(() -> SmtpUrl.parse("smtp://relay-user:Relay-Pass-77@mail.example.com:587"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("MELTANO_AUTH_SMTP_USERNAME").contains("MELTANO_AUTH_SMTP_PASSWORD")
                        .doesNotContain("Relay-Pass-77").doesNotContain("relay-user"));
    }
}
