package com.meltano.auth.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;
import com.meltano.auth.support.VerboseLogs;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * SPEC sections 1 and 10 with everything turned up ({@link VerboseLogs}): our own categories at
 * TRACE and the HTTP access log on, written to a file from the first line of start-up, so that
 * bootstrap (which handles the admin password and the bootstrap client secret) is covered too.
 */
@QuarkusTest
@TestProfile(VerboseLogs.class)
@QuarkusTestResource(PostgresTestResource.class)
class LogSecrecyTraceTest {

    @Test
    void logWhenTraceAndAccessLogOnThenBootstrapSecretsClientSecretsAndTokensNeverLogged() throws Exception {
        List<String> secrets = LeakProbe.run();

        Path file = Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
        String log = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(log).as("the file has the start-up log").contains("bootstrap admin user and client are in place");
        assertThat(log).as("the file has the access log").contains("POST /oauth2/token");
        assertThat(secrets).contains(TestData.ADMIN_CLIENT_SECRET, TestData.ADMIN_PASSWORD, TestData.KEK);
        for (String secret : secrets) {
            assertThat(log.lines().filter(line -> line.contains(secret)).toList())
                    .as("lines of %s containing the secret or token %s", file, secret).isEmpty();
        }
    }
}
