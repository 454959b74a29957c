package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/** HTTP, JSON and JWT helpers for the process-level tests. */
final class ItSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_ISSUER = "http://localhost:8080";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ItSupport() {
    }

    /** A fresh random key-encryption key: base64 of 32 bytes. */
    static String newKek() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** A fresh distinctive client secret (43 characters, 256 bits). */
    static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError("request " + request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An access token from {@code client_credentials} with Basic authentication (RFC 6749 2.3.1). */
    static String clientCredentialsToken(String baseUrl, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString(
                (form(clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
        Reply reply = send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build());
        assertThat(reply.status()).as("token endpoint: %s", reply.body()).isEqualTo(200);
        String token = reply.json().path("access_token").asText(null);
        assertThat(token).as("access_token in %s", reply.body()).isNotBlank();
        return token;
    }

    static Reply get(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    static Reply postJson(String url, String bearer, Object body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWKS, fetched over HTTP as a downstream verifier would. */
    static JWKSet jwks(String baseUrl) {
        Reply reply = get(baseUrl + "/oauth2/jwks", null);
        assertThat(reply.status()).as("JWKS: %s", reply.body()).isEqualTo(200);
        try {
            return JWKSet.parse(reply.body());
        } catch (ParseException e) {
            throw new AssertionError("JWKS does not parse: " + reply.body(), e);
        }
    }

    static Set<String> kids(JWKSet set) {
        Set<String> kids = new TreeSet<>();
        for (JWK key : set.getKeys()) {
            kids.add(key.getKeyID());
        }
        return kids;
    }

    /**
     * Verifies an access token offline against a JWKS, as SPEC section 7 asks of downstream
     * verifiers: signature, {@code typ at+jwt}, {@code iss}, {@code aud}, {@code exp}.
     */
    static JWTClaimsSet verifyAccessToken(String token, JWKSet jwks, String issuer) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("meltano",
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "jti")));
        return processor.process(token, null);
    }

    /** Lines that are part of a Java stack trace. */
    static List<String> stackTraceLines(String output) {
        return output.lines()
                .filter(l -> l.startsWith("\tat ") || l.contains("Exception in thread") || l.startsWith("Caused by: "))
                .toList();
    }

    /**
     * The embedded database of a live server, found as a command line would: the port its owner
     * recorded in {@code server.lock} of the data directory.
     */
    static int embeddedDatabasePort(java.nio.file.Path dataDir) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(dataDir.resolve("server.lock"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("port=")) {
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new AssertionError("server.lock names no port");
    }

    /** The generated password of the embedded database, from its owner-only file. */
    static String embeddedDatabasePassword(java.nio.file.Path dataDir) throws IOException {
        return java.nio.file.Files.readString(dataDir.resolve("postgres-password"), StandardCharsets.US_ASCII).trim();
    }

    /** A JDBC connection over TCP to a live server's embedded database, as its superuser. */
    static java.sql.Connection embeddedDatabase(java.nio.file.Path dataDir, String password) throws IOException, java.sql.SQLException {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "postgres");
        if (password != null) {
            props.setProperty("password", password);
        }
        return java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + embeddedDatabasePort(dataDir) + "/postgres", props);
    }

    /** The iteration count of the embedded superuser's SCRAM verifier, read from pg_authid. */
    static int embeddedVerifierIterations(java.nio.file.Path dataDir, String password) throws IOException, java.sql.SQLException {
        try (java.sql.Connection c = embeddedDatabase(dataDir, password);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("select substring(rolpassword from '^SCRAM-SHA-256\\$([0-9]+):')::int"
                        + " from pg_authid where rolname = 'postgres'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
