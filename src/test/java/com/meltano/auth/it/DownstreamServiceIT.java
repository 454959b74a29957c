package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.meltano.auth.verifier.TokenVerificationException;
import com.meltano.auth.verifier.TokenVerifier;
import com.meltano.auth.verifier.VerifiedToken;
import com.sun.net.httpserver.HttpServer;

/**
 * Issue 5: a downstream service (a plain JDK HTTP server using only the verifier library) checks
 * our tokens offline: 200 with the permission, 403 without, 401 for a forged one; it keeps
 * working while the authorization server is down, and follows a key rotation without a failure.
 */
@ProcessLevel
class DownstreamServiceIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private ServerProcess auth;
    private HttpServer downstream;

    @AfterEach
    void cleanUp() {
        if (downstream != null) {
            downstream.stop(0);
        }
        if (auth != null) {
            auth.stop();
        }
    }

    @Test
    void downstreamServiceVerifiesOfflineSurvivesDowntimeAndRotation() throws Exception {
        String adminSecret = ItSupport.newSecret();
        int port = ServerProcess.freePort();
        String issuer = "http://127.0.0.1:" + port;
        auth = ServerProcess.start("downstream-auth", tmp.resolve("auth"), Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "MELTANO_AUTH_ISSUER", issuer, "MELTANO_AUTH_ADMIN_CLIENT_ID", "downstream-admin",
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", adminSecret));
        String admin = ItSupport.clientCredentialsToken(auth.baseUrl(), "downstream-admin", adminSecret);
        assertThat(ItSupport.postJson(auth.baseUrl() + "/admin/api/roles", admin, Map.of("name", "designer")).status()).isEqualTo(201);
        assertThat(ItSupport.postJson(auth.baseUrl() + "/admin/api/roles/designer/permissions", admin,
                Map.of("type", "view:design", "context", "finance.*")).status()).isEqualTo(201);
        JsonNode designer = ItSupport.postJson(auth.baseUrl() + "/admin/api/clients", admin, Map.of("name", "designer svc",
                "redirect_uris", List.of(), "grant_types", List.of("client_credentials"), "roles", List.of("designer"))).json();
        JsonNode plain = ItSupport.postJson(auth.baseUrl() + "/admin/api/clients", admin, Map.of("name", "plain svc",
                "redirect_uris", List.of(), "grant_types", List.of("client_credentials"))).json();
        String allowed = ItSupport.clientCredentialsToken(auth.baseUrl(), designer.path("client_id").asText(),
                designer.path("client_secret").asText());
        String notAllowed = ItSupport.clientCredentialsToken(auth.baseUrl(), plain.path("client_id").asText(),
                plain.path("client_secret").asText());
        String unseen = ItSupport.clientCredentialsToken(auth.baseUrl(), designer.path("client_id").asText(),
                designer.path("client_secret").asText());

        // the downstream service: three lines of configuration, one permission check
        TokenVerifier verifier = TokenVerifier.forIssuer(issuer).build();
        String service = startDownstream(verifier);

        assertThat(call(service + "/designs/finance.q1", allowed)).isEqualTo(200);
        assertThat(call(service + "/designs/marketing.q1", allowed)).isEqualTo(403);
        assertThat(call(service + "/designs/finance.q1", notAllowed)).isEqualTo(403);
        assertThat(call(service + "/designs/finance.q1", forge(allowed))).isEqualTo(401);
        assertThat(call(service + "/designs/finance.q1", null)).isEqualTo(401);

        // rotation with activate_now: from activates_at (a few seconds) new tokens carry a new kid, old ones still verify
        ItSupport.Reply rotated = ItSupport.postJson(auth.baseUrl() + "/admin/api/keys/rotate", admin, Map.of("activate_now", true));
        assertThat(rotated.status()).isEqualTo(202);
        long wait = java.time.Duration.between(java.time.Instant.now(),
                java.time.Instant.parse(rotated.json().path("activates_at").asText())).toMillis();
        Thread.sleep(Math.max(0, wait) + 100);
        String afterRotation = ItSupport.clientCredentialsToken(auth.baseUrl(), designer.path("client_id").asText(),
                designer.path("client_secret").asText());
        assertThat(kid(afterRotation)).isNotEqualTo(kid(allowed));
        assertThat(call(service + "/designs/finance.q1", afterRotation)).as("the new kid is fetched once").isEqualTo(200);
        assertThat(call(service + "/designs/finance.q1", allowed)).as("the retired key still verifies").isEqualTo(200);

        // the authorization server goes down: verification goes on from the cached keys
        auth.stop();
        auth = null;
        assertThat(call(service + "/designs/finance.q1", allowed)).isEqualTo(200);
        assertThat(call(service + "/designs/finance.q1", unseen)).as("a token never seen, keys from the cache").isEqualTo(200);
        assertThat(call(service + "/designs/finance.q1", forge(unseen))).isEqualTo(401);
    }

    private String startDownstream(TokenVerifier verifier) throws IOException {
        downstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        downstream.createContext("/designs/", ex -> {
            String header = ex.getRequestHeaders().getFirst("Authorization");
            int status;
            try {
                VerifiedToken token = verifier.verify(header == null || !header.startsWith("Bearer ") ? null : header.substring(7));
                String design = ex.getRequestURI().getPath().substring("/designs/".length());
                status = token.allows("view:design", design) ? 200 : 403;
            } catch (TokenVerificationException e) {
                status = 401;
            }
            byte[] body = Integer.toString(status).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        downstream.start();
        return "http://127.0.0.1:" + downstream.getAddress().getPort();
    }

    private static int call(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The same token with wider permissions written into its payload: the signature no longer matches. */
    private static String forge(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"finance.*\"", "\"*\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private static String kid(String token) throws IOException {
        return ItSupport.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asText();
    }
}
