package com.meltano.auth.oauth2.authorize;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

import javax.sql.DataSource;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Arrangements of the browser sign-in tests: users and clients made over the admin API (fresh
 * ones per test, as the database is shared by every test class of a run), PKCE pairs, a full
 * sign-in that ends in a code, the token endpoint, an independent (Nimbus) JWT verifier, and SQL.
 */
final class FlowFixtures {

    static final String ISSUER = "http://localhost:8080";
    static final String REDIRECT = "http://127.0.0.1:9999/cb";
    static final String OTHER_REDIRECT = "http://127.0.0.1:9999/other";
    static final String PASSWORD = "correct-horse-battery-staple";
    static final String TOKEN = "/oauth2/token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private FlowFixtures() {
    }

    record User(String id, String email) {
    }

    /** A registered client; {@code secret} is null for a public one. */
    record Client(String id, String secret) {
        boolean isPublic() {
            return secret == null;
        }
    }

    record Pkce(String verifier, String challenge) {
        static Pkce fresh() {
            String verifier = random(32); // 43 base64url characters
            return new Pkce(verifier, s256(verifier));
        }
    }

    // ---- users and clients ---------------------------------------------------------------------

    static User user() {
        String email = "flow-" + UUID.randomUUID() + "@example.com";
        Response r = Api.admin().body(Map.of("email", email, "password", PASSWORD)).post("/admin/api/users");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return new User(r.path("id"), email);
    }

    static void setUserEnabled(User user, boolean enabled) {
        Response r = Api.admin().body(Map.of("enabled", enabled)).patch("/admin/api/users/" + user.id());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    }

    /** A public client (no secret, PKCE required) with the code and refresh grants. */
    static Client publicClient(boolean firstParty) {
        return register(Map.of("token_endpoint_auth_method", "none", "first_party", firstParty,
                "grant_types", List.of("authorization_code", "refresh_token"),
                "redirect_uris", List.of(REDIRECT, OTHER_REDIRECT)));
    }

    /** A confidential client (client_secret_basic) with the code and refresh grants. */
    static Client confidentialClient(boolean firstParty) {
        return register(Map.of("token_endpoint_auth_method", "client_secret_basic", "first_party", firstParty,
                "grant_types", List.of("authorization_code", "refresh_token"),
                "redirect_uris", List.of(REDIRECT, OTHER_REDIRECT)));
    }

    static Client register(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.putIfAbsent("name", "sign-in test client");
        body.putIfAbsent("client_id", "flow-" + UUID.randomUUID());
        Response r = Api.admin().body(body).post("/admin/api/clients");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return new Client(r.path("client_id"), r.path("client_secret"));
    }

    // ---- authorization requests ----------------------------------------------------------------

    /** A complete, valid request: code flow, PKCE S256 (when {@code pkce} is set), state and nonce. */
    static Map<String, List<String>> request(Client client, Pkce pkce, String scope) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("response_type", List.of("code"));
        p.put("client_id", List.of(client.id()));
        p.put("redirect_uri", List.of(REDIRECT));
        p.put("scope", List.of(scope));
        p.put("state", List.of("st-" + random(12)));
        p.put("nonce", List.of("n-" + random(12)));
        if (pkce != null) {
            p.put("code_challenge", List.of(pkce.challenge()));
            p.put("code_challenge_method", List.of("S256"));
        }
        return p;
    }

    static String param(Map<String, List<String>> request, String name) {
        List<String> v = request.get(name);
        return v == null ? null : v.get(0);
    }

    /**
     * Sends the request, signs in on the login page, allows on the consent page when asked, and
     * returns the code from the final redirect (whose state and iss are checked on the way).
     */
    static String signInForCode(BrowserSession browser, User user, Map<String, List<String>> request) {
        Response r = browser.authorize(request);
        assertThat(r.statusCode()).as("authorize: %s", r.asString()).isEqualTo(303);
        if ("/login".equals(BrowserSession.locationPath(r))) {
            r = browser.signIn(user.email(), PASSWORD);
            assertThat(r.statusCode()).isEqualTo(303);
        }
        if ("/consent".equals(BrowserSession.locationPath(r))) {
            r = browser.decide("allow");
            assertThat(r.statusCode()).isEqualTo(303);
        }
        return codeOf(r, request);
    }

    /** The code of a successful authorization response, after checking where it went, state and iss. */
    static String codeOf(Response r, Map<String, List<String>> request) {
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(BrowserSession.locationWithoutQuery(r)).isEqualTo(param(request, "redirect_uri"));
        Map<String, String> q = BrowserSession.locationQuery(r);
        assertThat(q).as("no error in %s", BrowserSession.location(r)).doesNotContainKey("error");
        assertThat(q.get("state")).isEqualTo(param(request, "state"));
        assertThat(q.get("iss")).isEqualTo(ISSUER);
        assertThat(q.get("code")).isNotBlank();
        return q.get("code");
    }

    // ---- the token endpoint --------------------------------------------------------------------

    /** Client authentication as each kind of client does it: client_id in the body, or Basic. */
    static RequestSpecification tokenRequest(Client client) {
        RequestSpecification r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded");
        return client.isPublic() ? r.formParam("client_id", client.id()) : r.auth().preemptive().basic(client.id(), client.secret());
    }

    static Response exchange(Client client, String code, String redirectUri, String verifier) {
        RequestSpecification r = tokenRequest(client).formParam("grant_type", "authorization_code").formParam("code", code);
        if (redirectUri != null) {
            r = r.formParam("redirect_uri", redirectUri);
        }
        if (verifier != null) {
            r = r.formParam("code_verifier", verifier);
        }
        return r.post(TOKEN);
    }

    static Response refresh(Client client, String refreshToken, String scope) {
        RequestSpecification r = tokenRequest(client).formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken);
        if (scope != null) {
            r = r.formParam("scope", scope);
        }
        return r.post(TOKEN);
    }

    /** The form body of a token request, for the raw (thread-safe) client of the concurrency tests. */
    static String form(Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** A token request sent with the JDK client (safe from many threads at once). */
    static HttpResponse<String> postToken(HttpClient http, Client client, Map<String, String> fields) throws Exception {
        Map<String, String> body = new LinkedHashMap<>(fields);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + TOKEN)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (client.isPublic()) {
            body.put("client_id", client.id());
        } else {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (client.id() + ":" + client.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Asserts an RFC 6749 section 5.2 error: status 400, JSON, the code, no-store, no token. */
    static void assertTokenError(Response r, String error) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.jsonPath().getString("error")).as(r.asString()).isEqualTo(error);
        assertThat(r.header("Cache-Control")).contains("no-store");
        assertThat(r.asString()).doesNotContain("access_token", "refresh_token", "id_token");
    }

    static String baseUrl() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    // ---- independent verification (Nimbus, never the server's classes) -------------------------

    static URL jwks() {
        try {
            return URI.create(baseUrl() + "/oauth2/jwks").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9068: typ at+jwt, RS256 from the JWKS, iss, aud meltano, exp. */
    static JWTClaimsSet verifyAccessToken(String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = processor(new JOSEObjectType("at+jwt"));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of("meltano")),
                new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"), null));
        return p.process(token, null);
    }

    /** OIDC Core 3.1.3.7: typ JWT (or none), RS256 from the JWKS, iss, aud the client, exp. */
    static JWTClaimsSet verifyIdToken(String token, String clientId) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = processor(JOSEObjectType.JWT, null);
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of(clientId)),
                new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("iss", "sub", "aud", "exp", "iat"), null));
        return p.process(token, null);
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JOSEObjectType... types) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks()).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        return p;
    }

    /** OIDC Core 3.1.3.6: base64url of the left half of SHA-256 of the access token's ASCII octets. */
    static String atHash(String accessToken) {
        byte[] digest = sha256(accessToken);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
    }

    static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---- SQL -----------------------------------------------------------------------------------

    static long grants(DataSource ds, String clientId) {
        return Database.count(ds, "select count(*) from oauth_grant where client_id = ?", clientId);
    }

    static long revokedGrants(DataSource ds, String clientId) {
        return Database.count(ds, "select count(*) from oauth_grant where client_id = ? and revoked_at is not null", clientId);
    }

    static long codes(DataSource ds, String clientId) {
        return Database.count(ds, "select count(*) from authorization_code c join oauth_grant g on g.id = c.grant_id"
                + " where g.client_id = ?", clientId);
    }

    static long refreshTokens(DataSource ds, String clientId) {
        return Database.count(ds, "select count(*) from refresh_token t join oauth_grant g on g.id = t.grant_id"
                + " where g.client_id = ?", clientId);
    }

    static long flows(DataSource ds, String clientId) {
        return Database.count(ds, "select count(*) from login_flow where client_id = ?", clientId);
    }
}
