package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC section 3: a bad configuration stops the start with exit status 1 and one line naming the
 * variable and the reason, no stack trace, and no secret echoed.
 */
@ProcessLevel
class StartupFailureIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final String VALID_KEK = ItSupport.newKek();
    private static final String SHORT_KEK = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String UNREACHABLE_DB = "jdbc:postgresql://127.0.0.1:1/nope";

    @TempDir
    Path tmp;

    /**
     * @param env the variables of the case ({@code null} value: remove the test default)
     * @param variable the variable the error line must name
     * @param secrets values that must not appear in the output
     */
    record Case(String name, Map<String, String> env, String variable, List<String> secrets) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("issuer not a URL", "MELTANO_AUTH_ISSUER", List.of(), "MELTANO_AUTH_ISSUER", "not a url"),
                c("issuer http on a non-loopback host", "MELTANO_AUTH_ISSUER", List.of(),
                        "MELTANO_AUTH_ISSUER", "http://auth.example.com"),
                c("issuer with trailing slash", "MELTANO_AUTH_ISSUER", List.of(),
                        "MELTANO_AUTH_ISSUER", "https://auth.example.com/"),
                c("issuer with query", "MELTANO_AUTH_ISSUER", List.of(),
                        "MELTANO_AUTH_ISSUER", "https://auth.example.com?x=1"),
                c("unknown signing algorithm", "MELTANO_AUTH_SIGNING_ALG", List.of(),
                        "MELTANO_AUTH_SIGNING_ALG", "HS256"),
                c("access token TTL not a duration", "MELTANO_AUTH_ACCESS_TOKEN_TTL", List.of(),
                        "MELTANO_AUTH_ACCESS_TOKEN_TTL", "ten minutes"),
                c("admin client secret under 32 bytes", "MELTANO_AUTH_ADMIN_CLIENT_SECRET", List.of("Sh0rtS3cr3t!"),
                        "MELTANO_AUTH_ADMIN_CLIENT_ID", "svc", "MELTANO_AUTH_ADMIN_CLIENT_SECRET", "Sh0rtS3cr3t!"),
                c("admin password too short", "MELTANO_AUTH_ADMIN_PASSWORD", List.of("1234567"),
                        "MELTANO_AUTH_ADMIN_EMAIL", "a@example.com", "MELTANO_AUTH_ADMIN_PASSWORD", "1234567"),
                c("admin password equal to the email", "MELTANO_AUTH_ADMIN_PASSWORD", List.of("owner.same@example.com"),
                        "MELTANO_AUTH_ADMIN_EMAIL", "owner.same@example.com",
                        "MELTANO_AUTH_ADMIN_PASSWORD", "owner.same@example.com"),
                c("key-encryption key not base64", "MELTANO_AUTH_KEY_ENCRYPTION_KEY", List.of("not-base64!!"),
                        "MELTANO_AUTH_KEY_ENCRYPTION_KEY", "not-base64!!"),
                c("key-encryption key of 16 bytes", "MELTANO_AUTH_KEY_ENCRYPTION_KEY", List.of(SHORT_KEK),
                        "MELTANO_AUTH_KEY_ENCRYPTION_KEY", SHORT_KEK),
                c("external database unreachable", "QUARKUS_DATASOURCE_JDBC_URL", List.of(VALID_KEK),
                        "QUARKUS_DATASOURCE_JDBC_URL", UNREACHABLE_DB, "MELTANO_AUTH_KEY_ENCRYPTION_KEY", VALID_KEK),
                c("external database without key-encryption key", "MELTANO_AUTH_KEY_ENCRYPTION_KEY", List.of(),
                        "QUARKUS_DATASOURCE_JDBC_URL", UNREACHABLE_DB),
                c("GitLab client id without its secret", "MELTANO_AUTH_GITLAB_CLIENT_SECRET", List.of(),
                        "MELTANO_AUTH_GITLAB_CLIENT_ID", "gitlab-app"),
                c("GitLab URL not an http(s) URL", "MELTANO_AUTH_GITLAB_URL", List.of(),
                        "MELTANO_AUTH_GITLAB_URL", "gitlab.example.com"),
                c("GitLab URL over plain http on a remote host", "MELTANO_AUTH_GITLAB_URL", List.of(),
                        "MELTANO_AUTH_GITLAB_URL", "http://gitlab.example.com"),
                c("GitLab group mapping without a role", "MELTANO_AUTH_GITLAB_GROUP_ROLES", List.of(),
                        "MELTANO_AUTH_GITLAB_GROUP_ROLES", "data-team=analyst,data-team/admins"),
                c("audit retention not a duration", "MELTANO_AUTH_AUDIT_RETENTION", List.of(),
                        "MELTANO_AUTH_AUDIT_RETENTION", "400 days"),
                c("audit retention not positive", "MELTANO_AUTH_AUDIT_RETENTION", List.of(),
                        "MELTANO_AUTH_AUDIT_RETENTION", "PT0S"),
                // SPEC sections 13 and 14: validated although second factors and device codes are still to come
                c("second-factor policy unknown", "MELTANO_AUTH_MFA", List.of(), "MELTANO_AUTH_MFA", "maybe"),
                c("second factors required before they exist", "MELTANO_AUTH_MFA", List.of(), "MELTANO_AUTH_MFA", "required"),
                c("device code TTL not a duration", "MELTANO_AUTH_DEVICE_CODE_TTL", List.of(),
                        "MELTANO_AUTH_DEVICE_CODE_TTL", "bogus"),
                // the default listen address 0.0.0.0: the test default 127.0.0.1 is removed
                c("authentication off on a non-loopback listen address", "MELTANO_AUTHENTICATION", List.of(),
                        "MELTANO_AUTHENTICATION", "false", "QUARKUS_HTTP_HOST", null),
                // SPEC section 12: mail settings
                c("SMTP URL with an http scheme", "MELTANO_AUTH_SMTP_URL", List.of("http://relay-host.invalid"),
                        "MELTANO_AUTH_SMTP_URL", "http://relay-host.invalid"),
                c("SMTP URL with credentials in it", "MELTANO_AUTH_SMTP_URL", List.of("Relay-Pass-77", "relay-user-ops"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://relay-user-ops:Relay-Pass-77@relay-host.invalid:587"),
                c("SMTP URL with a path", "MELTANO_AUTH_SMTP_URL", List.of("relay-path", "relay-host.invalid"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://relay-host.invalid/relay-path"),
                c("SMTP URL with a port out of range", "MELTANO_AUTH_SMTP_URL", List.of("relay-host.invalid"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://relay-host.invalid:99999"),
                c("SMTP username without a password", "MELTANO_AUTH_SMTP_PASSWORD", List.of("relay-user-ops"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://127.0.0.1:2525", "MELTANO_AUTH_SMTP_USERNAME", "relay-user-ops"),
                c("SMTP password without a username", "MELTANO_AUTH_SMTP_USERNAME", List.of("Relay-Pass-77"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://127.0.0.1:2525", "MELTANO_AUTH_SMTP_PASSWORD", "Relay-Pass-77"),
                c("mail sender not an address", "MELTANO_AUTH_MAIL_FROM", List.of("relay-sender.invalid"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://127.0.0.1:2525", "MELTANO_AUTH_MAIL_FROM", "Auth <relay-sender.invalid>"),
                c("verified emails required without mail", "MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL", List.of(),
                        "MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL", "true"),
                c("verified-email setting not a boolean", "MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL", List.of("relay-maybe"),
                        "MELTANO_AUTH_SMTP_URL", "smtp://127.0.0.1:2525", "MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL", "relay-maybe"),
                c("authentication switch not a boolean", "MELTANO_AUTHENTICATION", List.of("flase"),
                        "MELTANO_AUTHENTICATION", "flase"),
                // what the server listens on, and where it keeps its data
                c("HTTP port not a number", "QUARKUS_HTTP_PORT", List.of(), "QUARKUS_HTTP_PORT", "abc"),
                c("HTTP port out of range", "QUARKUS_HTTP_PORT", List.of(), "QUARKUS_HTTP_PORT", "70000"),
                c("listen address that does not resolve", "QUARKUS_HTTP_HOST", List.of(), "QUARKUS_HTTP_HOST", "999.1.1.1"),
                c("data directory a file", "MELTANO_AUTH_DATA_DIR", List.of(), "MELTANO_AUTH_DATA_DIR", "/etc/passwd"),
                c("data directory impossible to create", "MELTANO_AUTH_DATA_DIR", List.of(), "MELTANO_AUTH_DATA_DIR", "/proc/nope"));
    }

    private static Arguments c(String name, String variable, List<String> secrets, String... pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return Arguments.of(new Case(name, env, variable, secrets));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesToStart(Case c) {
        ServerProcess.Exit exit = ServerProcess.runToExit("startup-failure-" + c.name(), tmp.resolve("data"), c.env(), EXIT_TIMEOUT);
        String output = exit.output();

        assertThat(exit.exitCode()).as("exit status; output:%n%s", output).isEqualTo(1);
        List<String> naming = exit.lines().stream().filter(l -> l.contains(c.variable())).toList();
        assertThat(naming).as("exactly one line naming %s; output:%n%s", c.variable(), output).hasSize(1);
        assertThat(naming.get(0).length())
                .as("the line gives a reason besides the variable name: %s", naming.get(0))
                .isGreaterThan(c.variable().length() + 5);
        assertThat(ItSupport.stackTraceLines(output)).as("no stack trace; output:%n%s", output).isEmpty();
        for (String secret : c.secrets()) {
            assertThat(output).as("the secret value must not be echoed").doesNotContain(secret);
        }
    }

    @Test
    void portHeldByAnotherProgramThenOneLineNamesThePortAndItsVariable() throws Exception {
        int port = ServerProcess.freePort();
        try (ServerSocket other = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            ServerProcess.Exit exit = ServerProcess.runToExit("startup-failure-port-taken", tmp.resolve("data"),
                    Map.of("QUARKUS_HTTP_PORT", Integer.toString(port)), EXIT_TIMEOUT);

            assertThat(exit.exitCode()).as("exit status; output:%n%s", exit.output()).isEqualTo(1);
            assertThat(exit.lines()).as("output:%n%s", exit.output())
                    .contains("QUARKUS_HTTP_PORT: port " + port + " on 127.0.0.1 is in use by another program");
            assertThat(ItSupport.stackTraceLines(exit.output())).as("no stack trace; output:%n%s", exit.output()).isEmpty();
        }
    }
}
