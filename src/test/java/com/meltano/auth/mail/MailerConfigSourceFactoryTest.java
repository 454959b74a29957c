package com.meltano.auth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * How the SPEC section 12 variables become quarkus-mailer settings, read back from a real
 * SmallRye configuration built with the factory, as Quarkus builds it.
 */
class MailerConfigSourceFactoryTest {

    private static SmallRyeConfig config(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "environment", 300))
                .withSources(new MailerConfigSourceFactory()).build();
    }

    private static String mailer(SmallRyeConfig config, String name) {
        return config.getOptionalValue("quarkus.mailer." + name, String.class).orElse(null);
    }

    @Test
    void settingsWhenSmtpsThenTlsFromTheFirstByte() {
        SmallRyeConfig c = config("meltano.auth.smtp-url", "smtps://smtp.example.com");
        assertThat(mailer(c, "host")).isEqualTo("smtp.example.com");
        assertThat(mailer(c, "port")).isEqualTo("465");
        assertThat(mailer(c, "tls")).isEqualTo("true");
        assertThat(mailer(c, "start-tls")).isEqualTo("DISABLED");
        assertThat(mailer(c, "mock")).as("never the mock mailer that logs mails").isEqualTo("false");
    }

    @Test
    void settingsWhenAnyUrlThenSendGivesUpWellWithinTheTransactionTimeout() {
        java.time.Duration timeout = config("meltano.auth.smtp-url", "smtp://smtp.example.com")
                .getValue("quarkus.mailer.timeout", java.time.Duration.class);
        assertThat(timeout).as("under Narayana's default 60 s, which the send runs in").isLessThanOrEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config("meltano.auth.smtp-url", "smtp://smtp.example.com", "quarkus.mailer.timeout", "PT45S")
                .getValue("quarkus.mailer.timeout", java.time.Duration.class)).as("an operator's setting wins")
                .isEqualTo(java.time.Duration.ofSeconds(45));
    }

    @Test
    void settingsWhenSmtpWithLoginToRemoteRelayThenStartTlsRequired() {
        SmallRyeConfig c = config("meltano.auth.smtp-url", "smtp://smtp.example.com:587", "meltano.auth.smtp-username", "apikey",
                "meltano.auth.smtp-password", "relay-password-0123");
        assertThat(mailer(c, "port")).isEqualTo("587");
        assertThat(mailer(c, "tls")).isEqualTo("false");
        assertThat(mailer(c, "start-tls")).as("no password in clear when STARTTLS is stripped").isEqualTo("REQUIRED");
        assertThat(mailer(c, "login")).isEqualTo("REQUIRED");
        assertThat(mailer(c, "username")).isEqualTo("apikey");
        assertThat(mailer(c, "password")).isEqualTo("relay-password-0123");
    }

    @Test
    void settingsWhenSmtpWithoutLoginOrOnLoopbackThenStartTlsWhenOffered() {
        assertThat(mailer(config("meltano.auth.smtp-url", "smtp://relay.internal:25"), "start-tls")).isEqualTo("OPTIONAL");
        assertThat(mailer(config("meltano.auth.smtp-url", "smtp://127.0.0.1:2525", "meltano.auth.smtp-username", "u",
                "meltano.auth.smtp-password", "p"), "start-tls")).isEqualTo("OPTIONAL");
        assertThat(mailer(config("meltano.auth.smtp-url", "smtp://localhost", "meltano.auth.smtp-username", "u",
                "meltano.auth.smtp-password", "p"), "start-tls")).isEqualTo("OPTIONAL");
    }

    @Test
    void settingsWhenUrlMalformedThenNoHostAndMockStillOff() {
        SmallRyeConfig c = config("meltano.auth.smtp-url", "http://relay.example.com");
        assertThat(mailer(c, "host")).isNull();
        assertThat(mailer(c, "mock")).isEqualTo("false");
    }
}
