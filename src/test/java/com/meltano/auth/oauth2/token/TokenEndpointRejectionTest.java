package com.meltano.auth.oauth2.token;

import static com.meltano.auth.oauth2.token.TokenFixtures.basic;
import static com.meltano.auth.oauth2.token.TokenFixtures.basicRaw;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.oauth2.token.TokenFixtures.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every way a token request can be refused (RFC 6749 sections 2.3, 3.2, 5.2; SPEC section 4), as
 * a table in the manner of fosite: each rejection answers with the right status and error code,
 * {@code Cache-Control: no-store}, JSON with a description that does not echo a secret, and
 * leaves no grant behind.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TokenEndpointRejectionTest {

    private static final String TOKEN = "/oauth2/token";
    private static final String AUTHORIZATION = "Authorization";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String CC = "grant_type=client_credentials";

    @Inject
    DataSource ds;

    /** What the server answered, whichever client sent the request. */
    record Outcome(int status, Map<String, String> headers, String body) {
        static Outcome of(Response r) {
            Map<String, String> headers = new LinkedHashMap<>();
            r.headers().forEach(h -> headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue()));
            return new Outcome(r.statusCode(), headers, r.asString());
        }

        static Outcome of(RawHttp.Response r) {
            return new Outcome(r.status(), r.headers(), r.body());
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The arranged request: whose grants to watch, which secrets must not be echoed, how to send it. */
    record Attempt(String watchedClientId, List<String> secrets, Supplier<Outcome> send) {
    }

    /**
     * @param expected error code to status; more than one entry where the RFCs allow either answer
     * @param basicChallenge whether a {@code WWW-Authenticate: Basic} challenge is required (RFC 6749 section 5.2)
     */
    record Rejection(Map<String, Integer> expected, boolean basicChallenge, Function<Client, Attempt> arrange) {
    }

    private static final Map<String, Rejection> CASES = new LinkedHashMap<>();

    static {
        // --- client authentication (RFC 6749 section 2.3) ---
        reject("wrong secret", "invalid_client", 401, true, c -> {
            String wrong = TokenFixtures.unique("not-the-secret-0123456789-abcdefghij-");
            return attempt(c.id(), List.of(c.secret(), wrong), () -> form(basic(c.id(), wrong), CC));
        });
        reject("unknown client", "invalid_client", 401, true, c -> {
            String unknown = TokenFixtures.unique("no-such-client-");
            return attempt(unknown, List.of(c.secret()), () -> form(basic(unknown, c.secret()), CC));
        });
        reject("disabled client", "invalid_client", 401, true, c -> {
            Api.admin().body(Map.of("enabled", false)).patch("/admin/api/clients/" + c.id()).then().statusCode(200);
            return attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()), CC));
        });
        reject("no client authentication at all", "invalid_client", 401, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(null, CC)));
        reject("malformed Basic: not base64", "invalid_client", 401, true,
                c -> attempt(c.id(), List.of(c.secret()), () -> form("Basic !!!notbase64", CC)));
        reject("malformed Basic: no colon", "invalid_client", 401, true,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basicRaw("no-colon"), CC)));
        reject("malformed Basic: empty client_id", "invalid_client", 401, true,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basicRaw(":" + c.secret()), CC)));
        reject("Bearer instead of Basic", "invalid_client", 401, true,
                c -> attempt(c.id(), List.of(c.secret()), () -> form("Bearer xyz", CC)));
        reject("Basic and client_secret in the body", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()),
                        () -> form(basic(c.id(), c.secret()), CC + "&client_secret=" + TokenFixtures.form(c.secret()))));
        reject("client_id in the body differs from Basic", "invalid_request", 400, false, c -> {
            Client other = TokenFixtures.serviceClient();
            return attempt(c.id(), List.of(c.secret(), other.secret()),
                    () -> form(basic(c.id(), c.secret()), CC + "&client_id=" + other.id()));
        });
        // --- the client may not use this grant (RFC 6749 section 5.2 unauthorized_client) ---
        reject("client without the client_credentials grant", "unauthorized_client", 400, false, c -> {
            Client web = TokenFixtures.register(Map.of("grant_types", List.of("authorization_code"),
                    "redirect_uris", List.of("https://app.example.com/cb")));
            return attempt(web.id(), List.of(web.secret()), () -> form(basic(web.id(), web.secret()), CC));
        });
        reject("public client", Map.of("invalid_client", 401, "unauthorized_client", 400), false, c -> {
            Client spa = publicClient();
            return attempt(spa.id(), List.of(c.secret()), () -> form(null, CC + "&client_id=" + spa.id()));
        });
        reject("public client sending a secret", "invalid_client", 401, true, c -> {
            Client spa = publicClient();
            return attempt(spa.id(), List.of(c.secret()), () -> form(basic(spa.id(), c.secret()), CC));
        });
        // --- the request itself (RFC 6749 sections 3.2, 4.4.2, 5.2) ---
        reject("missing grant_type", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()), "scope=")));
        reject("password grant", "unsupported_grant_type", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()),
                        "grant_type=password&username=root%40example.com&password=whatever-it-is")));
        reject("grant_type repeated", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()), CC + "&" + CC)));
        reject("JSON body instead of a form", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> Outcome.of(given().contentType(ContentType.JSON)
                        .body(Map.of("grant_type", "client_credentials", "client_id", c.id(), "client_secret", c.secret()))
                        .post(TOKEN))));
        reject("scope openid with client_credentials", "invalid_scope", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()), CC + "&scope=openid")));
        reject("scope admin without admin_api", "invalid_scope", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()), CC + "&scope=admin")));
        // --- bodies over 64 KiB: invalid_request JSON, never a bare 413 (SPEC section 4) ---
        reject("body of 65 KiB (one form value)", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> form(basic(c.id(), c.secret()), CC + "&pad=" + "a".repeat(65 * 1024))));
        reject("body of 100 KiB", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> raw(basic(c.id(), c.secret()), CC + "&pad=" + "a".repeat(100 * 1024))));
        reject("body of 2 MiB", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> raw(basic(c.id(), c.secret()), CC + "&pad=" + "a".repeat(2 * 1024 * 1024))));
        reject("chunked body of 100 KiB without Content-Length", "invalid_request", 400, false,
                c -> attempt(c.id(), List.of(c.secret()), () -> chunked(basic(c.id(), c.secret()), CC + "&pad=" + "a".repeat(100 * 1024))));
    }

    static Stream<String> rejections() {
        return CASES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void tokenWhenRequestIsRejectedThenRfc6749ErrorWithNoStoreAndNoGrant(String name) {
        Rejection rejection = CASES.get(name);
        Attempt attempt = rejection.arrange().apply(TokenFixtures.serviceClient());
        long grantsBefore = TokenFixtures.grants(ds, attempt.watchedClientId());

        Outcome outcome = attempt.send().get();

        assertThat(outcome.header("Content-Type")).as("[%s] content type of %s", name, outcome).startsWith("application/json");
        JsonPath json = JsonPath.from(outcome.body());
        String error = json.getString("error");
        assertThat(rejection.expected()).as("[%s] error code, body %s", name, outcome.body()).containsKey(error);
        assertThat(outcome.status()).as("[%s] status for %s", name, error).isEqualTo(rejection.expected().get(error));
        assertThat(outcome.header("Cache-Control")).as("[%s] Cache-Control", name).contains("no-store");
        assertThat(json.getString("error_description")).as("[%s] error_description", name).isNotBlank();
        for (String secret : attempt.secrets()) {
            assertThat(outcome.body()).as("[%s] the answer echoes no secret", name).doesNotContain(secret);
        }
        if (rejection.basicChallenge()) {
            assertThat(outcome.header("WWW-Authenticate")).as("[%s] WWW-Authenticate", name).isNotNull().startsWith("Basic");
        }
        assertThat(TokenFixtures.grants(ds, attempt.watchedClientId())).as("[%s] oauth_grant rows of the client", name)
                .isEqualTo(grantsBefore);
    }

    @Test
    void tokenWhenAcceptedThenOneGrantRecordedForTheClient() {
        Client c = TokenFixtures.serviceClient();
        long before = TokenFixtures.grants(ds, c.id());

        Outcome outcome = form(basic(c.id(), c.secret()), CC);

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(TokenFixtures.grants(ds, c.id())).as("the no-grant check above can see grants").isEqualTo(before + 1);
    }

    @Test
    void tokenWhenAnUnrecognizedParameterIsRepeatedThenIgnoredAndATokenIssued() {
        Client c = TokenFixtures.serviceClient();

        Outcome outcome = form(basic(c.id(), c.secret()), CC + "&resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example");

        assertThat(outcome.status()).as("RFC 6749 section 3.2: unrecognized parameters are ignored").isEqualTo(200);
    }

    @Test
    void tokenWhenFormValueIs60KiBThenAccepted() {
        Client c = TokenFixtures.serviceClient();

        Outcome outcome = form(basic(c.id(), c.secret()), CC + "&pad=" + "a".repeat(60 * 1024));

        assertThat(outcome.status()).as(outcome.body()).isEqualTo(200);
        assertThat(JsonPath.from(outcome.body()).getString("access_token")).isNotBlank();
    }

    @Test
    void tokenWhenScopeValuesUnknownThenDroppedAndEmptyScopeGranted() {
        Client c = TokenFixtures.serviceClient();

        given().header(AUTHORIZATION, basic(c.id(), c.secret()))
                .formParam("grant_type", "client_credentials").formParam("scope", "foo bar")
                .post(TOKEN)
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo(""))
                .body("access_token", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
    }

    // --- arrangement helpers ---

    private static void reject(String name, String error, int status, boolean challenge, Function<Client, Attempt> arrange) {
        reject(name, Map.of(error, status), challenge, arrange);
    }

    private static void reject(String name, Map<String, Integer> expected, boolean challenge, Function<Client, Attempt> arrange) {
        CASES.put(name, new Rejection(expected, challenge, arrange));
    }

    private static Attempt attempt(String watched, List<String> secrets, Supplier<Outcome> send) {
        List<String> nonNull = new ArrayList<>(secrets.stream().filter(Objects::nonNull).toList());
        return new Attempt(watched, nonNull, send);
    }

    private static Client publicClient() {
        return TokenFixtures.register(Map.of("grant_types", List.of("authorization_code"),
                "redirect_uris", List.of("https://app.example.com/cb"), "token_endpoint_auth_method", "none"));
    }

    /** A form post of exactly this body, with an optional {@code Authorization} header. */
    private static Outcome form(String authorization, String body) {
        RequestSpecification r = given().contentType(FORM).body(body);
        if (authorization != null) {
            r = r.header(AUTHORIZATION, authorization);
        }
        return Outcome.of(r.post(TOKEN));
    }

    /** Large bodies go over a raw socket: the server may answer and close before it is all sent. */
    private static Outcome raw(String authorization, String body) {
        try {
            return Outcome.of(RawHttp.postForm(InetAddress.getByName("127.0.0.1"), RestAssured.port, TOKEN, authorization, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Outcome chunked(String authorization, String body) {
        try {
            return Outcome.of(RawHttp.postFormChunked(RestAssured.port, TOKEN, authorization, body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
