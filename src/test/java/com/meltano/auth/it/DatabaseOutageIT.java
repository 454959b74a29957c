package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC section 4 and 10, issue 9 item 5: the packaged server on an external PostgreSQL that is
 * stopped and started again. While it is down, protocol endpoints answer 503
 * {@code temporarily_unavailable} JSON with {@code Retry-After}, the authorization endpoint a
 * page, the admin API JSON, readiness goes red, and the log holds one line for the outage instead
 * of a stack trace per request; once it is back, the first request succeeds (no stale pooled
 * connection) and readiness is green again.
 */
@ProcessLevel
class DatabaseOutageIT {

    private static final String ADMIN_ID = "outage-admin";
    private static final String REDIRECT = "http://127.0.0.1:9999/cb";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private Path pgDir;
    private int pgPort;
    private EmbeddedPostgres pg;
    private ServerProcess server;
    private String adminSecret;
    private String adminToken;
    private String basic;

    @BeforeEach
    void serverOnExternalPostgres() throws Exception {
        pgDir = tmp.resolve("pg");
        pgPort = ServerProcess.freePort();
        startPostgres();
        adminSecret = ItSupport.newSecret();
        server = ServerProcess.start("outage", tmp.resolve("server"), Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", ItSupport.newKek(),
                "MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", adminSecret));
        adminToken = ItSupport.clientCredentialsToken(server.baseUrl(), ADMIN_ID, adminSecret);
        JsonNode client = ItSupport.postJson(server.baseUrl() + "/admin/api/clients", adminToken, Map.of("name", "outage web",
                "redirect_uris", List.of(REDIRECT), "grant_types", List.of("authorization_code", "refresh_token"))).json();
        basic = "Basic " + Base64.getEncoder().encodeToString((ItBrowser.enc(client.path("client_id").asText()) + ":"
                + ItBrowser.enc(client.path("client_secret").asText())).getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (server != null) {
            server.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void databaseDownThenEveryEndpointAnswers503InItsShapeAndOneLogLineAndRecoversWhenBack() throws Exception {
        assertThat(readiness().statusCode()).isEqualTo(200);
        int logBefore = server.output().length();

        pg.close();
        pg = null;

        // a protocol endpoint that must read the database: RFC 6749 JSON, 503, Retry-After
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> token = refreshGrant();
            assertThat(token.statusCode()).as(token.body()).isEqualTo(503);
            assertThat(token.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(token.headers().firstValue("Retry-After")).isPresent();
            assertThat(ItSupport.JSON.readTree(token.body()).path("error").asText()).isEqualTo("temporarily_unavailable");
        }
        HttpResponse<String> revoke = post("/oauth2/revoke", "token=some-refresh-token", basic);
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(503);
        assertThat(ItSupport.JSON.readTree(revoke.body()).path("error").asText()).isEqualTo("temporarily_unavailable");

        // the authorization endpoint: a plain page
        HttpResponse<String> authorize = get("/oauth2/authorize?response_type=code&client_id=not-cached-" + System.nanoTime()
                + "&redirect_uri=" + ItBrowser.enc(REDIRECT) + "&scope=openid&state=s&code_challenge=" + "a".repeat(43)
                + "&code_challenge_method=S256", null);
        assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(503);
        assertThat(authorize.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(authorize.body()).contains("<html").doesNotContain("Exception").doesNotContain("\tat ");

        // the admin API: JSON
        HttpResponse<String> admin = get("/admin/api/users", adminToken);
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(503);
        assertThat(admin.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(ItSupport.JSON.readTree(admin.body()).path("error").asText()).isEqualTo("temporarily_unavailable");

        // readiness goes red (the heartbeat runs every few seconds: wait for it, do not time it)
        assertThat(eventually(() -> readiness().statusCode() == 503)).as("readiness red while the database is down").isTrue();

        String outageLog = server.output().substring(logBefore);
        assertThat(ItSupport.stackTraceLines(outageLog)).as(outageLog).isEmpty();
        List<String> warnings = outageLog.lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
        assertThat(warnings).as(outageLog).hasSizeLessThanOrEqualTo(2);
        assertThat(outageLog).contains("database unavailable");

        startPostgres();
        HttpResponse<String> first = refreshGrant();
        assertThat(first.statusCode()).as("the first request after the restart: %s", first.body()).isEqualTo(400);
        assertThat(ItSupport.JSON.readTree(first.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(eventually(() -> readiness().statusCode() == 200)).as("readiness green again").isTrue();
        assertThat(eventually(() -> server.output().contains("database reachable again"))).isTrue();
    }

    @Test
    void postgresRestartedWhileIdleThenFirstRequestsDoNotFailOnStalePooledConnections() throws Exception {
        // fill the pool with connections that the restart will break
        List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            warm.add(CompletableFuture.supplyAsync(this::refreshGrant));
        }
        for (var f : warm) {
            assertThat(f.get().statusCode()).isEqualTo(400);
        }
        int logBefore = server.output().length();

        pg.close();
        startPostgres();
        // a restart slower than the heartbeat (a loaded machine) is an outage, answered 503 until the
        // heartbeat sees the database again: what is under test is the pool after that, whose twelve
        // connections the restart broke while readiness used one
        assertThat(eventually(() -> readiness().statusCode() == 200)).as("readiness green again").isTrue();

        List<CompletableFuture<HttpResponse<String>>> after = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            after.add(CompletableFuture.supplyAsync(this::refreshGrant));
        }
        for (var f : after) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as("a request right after the restart: %s", r.body()).isEqualTo(400);
            assertThat(ItSupport.JSON.readTree(r.body()).path("error").asText()).isEqualTo("invalid_grant");
        }
        String client = ItSupport.clientCredentialsToken(server.baseUrl(), ADMIN_ID, adminSecret);
        assertThat(ItSupport.get(server.baseUrl() + "/admin/api/users", client).status()).isEqualTo(200);
        assertThat(ItSupport.stackTraceLines(server.output().substring(logBefore))).isEmpty();
    }

    // ----

    private void startPostgres() throws IOException {
        pg = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    /** A refresh grant with an unknown token: the server must look it up in the database. */
    private HttpResponse<String> refreshGrant() {
        return post("/oauth2/token", "grant_type=refresh_token&refresh_token=unknown-" + System.nanoTime(), basic);
    }

    private HttpResponse<String> readiness() {
        return get("/q/health/ready", null);
    }

    private HttpResponse<String> post(String path, String form, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    private HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls for up to 60 s (a bound for a broken server, not a speed requirement). */
    private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }
}
