package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 3: a key-encryption key that cannot decrypt the stored keys stops the start (one
 * line, exit status 1) and never overwrites them; {@code MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS}
 * rotates the key-encryption key by re-encrypting everything at start.
 */
@ProcessLevel
class WrongKeyEncryptionKeyIT {

    private static final String CLIENT_ID = "it-kek-admin";
    private static final String KEK_VARIABLE = "MELTANO_AUTH_KEY_ENCRYPTION_KEY";

    @TempDir
    Path tmp;

    private ServerProcess server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void wrongKeyIsRefusedAndRotationReEncrypts() throws Exception {
        Path dataDir = tmp.resolve("data");
        String k1 = ItSupport.newKek();
        String k2 = ItSupport.newKek();
        String secret = ItSupport.newSecret();
        Map<String, String> admin = Map.of("MELTANO_AUTH_ADMIN_CLIENT_ID", CLIENT_ID, "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret);

        // 1. first start under K1
        server = ServerProcess.start("kek-1-k1", dataDir, with(admin, KEK_VARIABLE, k1));
        Set<String> kids = ItSupport.kids(ItSupport.jwks(server.baseUrl()));
        assertThat(kids).isNotEmpty();
        String token = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        stop(k1, k2);

        // 2. K2 cannot open what K1 sealed: refuse to start, one line, no stack trace
        ServerProcess.Exit wrong = ServerProcess.runToExit("kek-2-k2-wrong", dataDir, with(admin, KEK_VARIABLE, k2), Duration.ofSeconds(90));
        assertThat(wrong.exitCode()).as("exit status; output:%n%s", wrong.output()).isEqualTo(1);
        assertThat(wrong.lines().stream().filter(l -> l.contains(KEK_VARIABLE)).toList())
                .as("exactly one line naming %s; output:%n%s", KEK_VARIABLE, wrong.output())
                .hasSize(1);
        assertThat(ItSupport.stackTraceLines(wrong.output())).as("no stack trace; output:%n%s", wrong.output()).isEmpty();
        assertThat(wrong.output()).doesNotContain(k1).doesNotContain(k2).doesNotContain(secret);
        // the database starts while Quarkus initialises: the refused start stopped it all the same
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid"))
                .as("the embedded PostgreSQL stopped with the refused start; output:%n%s", wrong.output()).doesNotExist();

        // 3. K1 again: the very same keys, nothing was overwritten
        server = ServerProcess.start("kek-3-k1-again", dataDir, with(admin, KEK_VARIABLE, k1));
        assertThat(ItSupport.kids(ItSupport.jwks(server.baseUrl()))).as("kids after the refused start").isEqualTo(kids);
        stop(k1, k2);

        // 4. rotation: K2 current, K1 previous
        Map<String, String> rotating = with(with(admin, KEK_VARIABLE, k2), "MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS", k1);
        server = ServerProcess.start("kek-4-rotate", dataDir, rotating);
        assertThat(ItSupport.kids(ItSupport.jwks(server.baseUrl()))).as("kids during the rotation").isEqualTo(kids);
        // the client-secret hash key was re-encrypted too, not replaced: the secret still works
        ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        stop(k1, k2);

        // 5. K2 alone: everything was re-encrypted under it
        server = ServerProcess.start("kek-5-k2-only", dataDir, with(admin, KEK_VARIABLE, k2));
        var jwks = ItSupport.jwks(server.baseUrl());
        assertThat(ItSupport.kids(jwks)).as("kids after the rotation").isEqualTo(kids);
        assertThat(ItSupport.verifyAccessToken(token, jwks, ItSupport.DEFAULT_ISSUER).getSubject()).isEqualTo(CLIENT_ID);
        assertThat(ItSupport.get(server.baseUrl() + "/admin/api/roles",
                ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret)).status()).isEqualTo(200);
        stop(k1, k2);
    }

    /** Stops the current server gracefully and checks its output kept the keys secret. */
    private void stop(String... secrets) {
        ServerProcess.Stopped stopped = server.stop();
        String output = server.output();
        server = null;
        assertThat(stopped.forced()).as("stops on SIGTERM; output:%n%s", output).isFalse();
        for (String s : secrets) {
            assertThat(output).as("key-encryption key in the output").doesNotContain(s);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var map = new java.util.HashMap<>(base);
        map.put(key, value);
        return Map.copyOf(map);
    }
}
