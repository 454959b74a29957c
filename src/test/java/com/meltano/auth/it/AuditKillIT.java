package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 9: an acknowledged token is never missing from the audit. Tokens are requested by several
 * threads, the server is killed with kill -9 in the middle, restarted on the same data directory,
 * and the audit must count at least every token that was answered 200 (and at most those plus the
 * requests in flight at the kill).
 */
@ProcessLevel
class AuditKillIT {

    private static final String ADMIN_ID = "it-audit-admin";
    private static final int THREADS = 8;

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
    void tokensWhenServerKilledUnderLoadThenEveryAnsweredTokenIsCountedAfterRestart() throws Exception {
        Path dataDir = tmp.resolve("data");
        String adminSecret = ItSupport.newSecret();
        Map<String, String> env = Map.of("MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID, "MELTANO_AUTH_ADMIN_CLIENT_SECRET", adminSecret);
        server = ServerProcess.start("audit-kill-1", dataDir, env);
        String admin = ItSupport.clientCredentialsToken(server.baseUrl(), ADMIN_ID, adminSecret);
        ItSupport.Reply created = ItSupport.postJson(server.baseUrl() + "/admin/api/clients", admin, Map.of(
                "name", "load", "redirect_uris", List.of(), "grant_types", List.of("client_credentials")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = created.json().path("client_id").asText();
        String clientSecret = created.json().path("client_secret").asText();

        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest tokenRequest = tokenRequest(server.baseUrl(), clientId, clientSecret);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            load.add(pool.submit(() -> {
                while (!killed.get()) {
                    try {
                        HttpResponse<String> r = http.send(tokenRequest, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().contains("\"access_token\"")) {
                            acknowledged.incrementAndGet();
                        }
                    } catch (IOException e) {
                        return null; // the server is gone
                    }
                }
                return null;
            }));
        }
        // kill in the middle of the load, once a good number of tokens went out
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.get() < 300 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.kill();
        killed.set(true);
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        int answered = acknowledged.get();
        assertThat(answered).as("tokens answered before the kill").isGreaterThanOrEqualTo(50);

        // Until the server itself tells a postmaster left by a dead server from a live one (issue 9
        // item 2, another branch), the test stops the orphan cleanly itself: SIGTERM, never kill -9.
        stopOrphanedPostmaster(dataDir);
        server = ServerProcess.start("audit-kill-2", dataDir, env);
        String admin2 = ItSupport.clientCredentialsToken(server.baseUrl(), ADMIN_ID, adminSecret);

        long counted = countedTokens(server.baseUrl(), admin2, clientId);
        assertThat(counted).as("tokens counted in the audit vs %d answered 200 before kill -9", answered)
                .isGreaterThanOrEqualTo(answered)
                .isLessThanOrEqualTo(answered + THREADS); // at most the requests in flight at the kill
        assertThat(ItSupport.stackTraceLines(server.output())).as("restart output:%n%s", server.output()).isEmpty();
    }

    private static HttpRequest tokenRequest(String baseUrl, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
    }

    /** The sum of the token.issued counts of a client, walking the audit API (an entry without a count stands for one). */
    private static long countedTokens(String baseUrl, String bearer, String clientId) {
        long total = 0;
        Set<String> seen = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < 1_000; page++) {
            String url = baseUrl + "/admin/api/audit?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            ItSupport.Reply reply = ItSupport.get(url, bearer);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode body = reply.json();
            for (JsonNode e : body.path("items")) {
                assertThat(seen.add(e.path("id").asText())).as("entry listed twice: %s", e).isTrue();
                if ("token.issued".equals(e.path("action").asText()) && clientId.equals(e.path("actor").asText())) {
                    total += e.path("details").path("count").asLong(1);
                }
            }
            JsonNode next = body.path("next_cursor");
            if (next.isNull() || next.isMissingNode()) {
                return total;
            }
            cursor = next.asText();
        }
        throw new AssertionError("the audit log did not end");
    }

    /** SIGTERM to the postmaster the killed server left running, and wait until it has shut down. */
    private static void stopOrphanedPostmaster(Path dataDir) throws Exception {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        var postmaster = ProcessHandle.of(pid);
        if (postmaster.isEmpty()) {
            return;
        }
        postmaster.get().destroy();
        postmaster.get().onExit().get(60, TimeUnit.SECONDS);
    }
}
