package com.meltano.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * SPEC section 9, "Input hygiene": every endpoint (protocol endpoints as discovery lists them,
 * the admin API, the pages) x every malformed kind, sent as raw bytes to the real server: never a
 * 5xx, always a 400 in the endpoint's shape (RFC 6749 {@code invalid_request} JSON at protocol and
 * admin endpoints, an HTML page for pages), and what a refused request carried is not stored.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MalformedInputSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";

    /** Query strings and form bodies: each breaks percent-encoding, UTF-8 or carries a NUL. */
    private static final Map<String, String> MALFORMED_FORMS = kinds(
            "bad hex after %", "x=%zz",
            "lone % at the end", "x=%",
            "% with one digit", "x=%e",
            "lone %e9 (invalid UTF-8)", "x=caf%e9",
            "NUL", "x=a%00b",
            "NUL in a name", "a%00b=1",
            "encoded surrogate (CESU)", "x=%ed%a0%80",
            "overlong NUL", "x=%c0%80",
            "raw byte 0xE9", "x=caf\u00e9",
            "bad hex in a name", "%zz=1");

    /** Path segments. */
    private static final Map<String, String> MALFORMED_SEGMENTS = kinds(
            "NUL", "a%00b",
            "bad hex", "a%zzb",
            "lone %", "a%",
            "lone %e9", "caf%e9",
            "encoded surrogate", "%ed%a0%80",
            "raw byte 0xE9", "caf\u00e9",
            "control character", "a%01b");

    private static final Map<String, byte[]> MALFORMED_JSON = new LinkedHashMap<>();

    static {
        MALFORMED_JSON.put("NUL escape", ascii("{\"email\":\"a\\u0000b@example.com\",\"name\":\"a\\u0000b\"}"));
        MALFORMED_JSON.put("lone high surrogate", ascii("{\"email\":\"\\ud800@example.com\",\"name\":\"x\\ud800\"}"));
        MALFORMED_JSON.put("lone low surrogate", ascii("{\"email\":\"\\udc00@example.com\",\"name\":\"x\\udc00\"}"));
        MALFORMED_JSON.put("high surrogate then a letter", ascii("{\"email\":\"\\ud800\\u0041@example.com\"}"));
        MALFORMED_JSON.put("raw invalid UTF-8", bytes("{\"email\":\"caf", 0xe9, "@example.com\",\"name\":\"caf", 0xe9, "\"}"));
        MALFORMED_JSON.put("raw encoded surrogate", bytes("{\"email\":\"", 0xed, 0xa0, 0x80, "@example.com\"}"));
        MALFORMED_JSON.put("raw overlong", bytes("{\"email\":\"", 0xc0, 0xaf, "@example.com\"}"));
        MALFORMED_JSON.put("raw NUL", bytes("{\"email\":\"a", 0x00, "b@example.com\"}"));
        MALFORMED_JSON.put("a second value", ascii("{} {}"));
        MALFORMED_JSON.put("a second value after a full body", ascii("{\"email\":\"trailing@example.com\",\"name\":\"t\"} []"));
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    String admin;

    record Endpoint(String method, String path, ResponseShape shape, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    /**
     * A chunked body of no bytes (what Python's requests sends for a form whose values are all
     * None) is answered like any empty body, at once, never after the read timed out with a 500.
     */
    @Test
    void postWhenChunkedBodyIsEmptyThenAnswered400InItsShapeWithoutWaiting() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String> formAndShape = new LinkedHashMap<>();
        formAndShape.put("/login", "text/html");
        formAndShape.put("/forgot-password", "text/html");
        formAndShape.put("/oauth2/token", "application/json");
        formAndShape.put("/oauth2/introspect", "application/json");
        for (var e : formAndShape.entrySet()) {
            HttpResponse<String> r = client.send(emptyChunked(e.getKey(), FORM).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST %s: %s", e.getKey(), r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as("POST %s", e.getKey()).startsWith(e.getValue());
        }
        HttpResponse<String> json = client.send(emptyChunked("/admin/api/roles", "application/json")
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(400);
        assertThat(JSON.readTree(json.body()).path("error").asText()).isEqualTo("invalid_request");
    }

    /** A POST whose body has no known length (sent chunked) and no bytes; waits at most 20 s for the answer. */
    private HttpRequest.Builder emptyChunked(String path, String type) throws Exception {
        return HttpRequest.newBuilder(base.toURI().resolve(path)).timeout(Duration.ofSeconds(20)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofInputStream(InputStream::nullInputStream));
    }

    @Test
    void queryWhenMalformedThenEveryEndpointAnswers400InItsShape() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (var kind : MALFORMED_FORMS.entrySet()) {
                byte[] body = e.body() == null ? null : e.body().equals(FORM) ? ascii("") : ascii("{}");
                var reply = send(e, e.path() + "?" + kind.getValue(), e.body(), body);
                check(problems, e, "query: " + kind.getKey(), reply);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void formBodyWhenMalformedThenEveryFormEndpointAnswers400InItsShape() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            if (!FORM.equals(e.body())) {
                continue;
            }
            for (var kind : MALFORMED_FORMS.entrySet()) {
                var reply = send(e, e.path(), FORM, ("grant_type=client_credentials&" + kind.getValue()).getBytes(StandardCharsets.ISO_8859_1));
                check(problems, e, "body: " + kind.getKey(), reply);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void pathWhenMalformedThenEveryEndpointAnswers400InItsShape() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (var kind : MALFORMED_SEGMENTS.entrySet()) {
                // a path parameter when the endpoint has one, else one more segment
                String path = e.path().contains("/no-such-") ? e.path().replaceFirst("/no-such-[^/]*", "/" + kind.getValue())
                        : e.path() + "/" + kind.getValue();
                var reply = send(e, path, e.body(), e.body() == null ? null : ascii(""));
                check(problems, e, "path: " + kind.getKey(), reply);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void jsonBodyWhenMalformedThenEveryAdminEndpointAnswers400AndStoresNothing() throws Exception {
        long users = count("select count(*) from app_user");
        long roles = count("select count(*) from role");
        long clients = count("select count(*) from client");
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            if (!"application/json".equals(e.body())) {
                continue;
            }
            for (var kind : MALFORMED_JSON.entrySet()) {
                check(problems, e, "json: " + kind.getKey(), send(e, e.path(), "application/json", kind.getValue()));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(count("select count(*) from app_user")).isEqualTo(users);
        assertThat(count("select count(*) from role")).isEqualTo(roles);
        assertThat(count("select count(*) from client")).isEqualTo(clients);
    }

    @Test
    void adminJsonWhenAStringValueHoldsANulOrALoneSurrogateThen400NamingThatField() throws Exception {
        Endpoint clients = new Endpoint("POST", "/admin/api/clients", ResponseShape.ADMIN, "application/json");
        Endpoint users = new Endpoint("POST", "/admin/api/users", ResponseShape.ADMIN, "application/json");

        JsonNode uri = JSON.readTree(send(clients, clients.path(), "application/json", ascii("{\"name\":\"x\",\"redirect_uris\":"
                + "[\"https://a.example/cb\",\"https://a.example/\\ud800\"],\"grant_types\":[\"authorization_code\"]}")).body());
        JsonNode email = JSON.readTree(send(users, users.path(), "application/json",
                ascii("{\"email\":\"a\\u0000b@example.com\"}")).body());
        JsonNode nested = JSON.readTree(send(users, users.path(), "application/json",
                ascii("{\"email\":\"ok@example.com\",\"roles\":[\"regular\",\"x\\udc00\"]}")).body());

        assertThat(uri.path("error").asText()).isEqualTo("invalid_request");
        assertThat(uri.path("field").asText()).isEqualTo("redirect_uris[1]");
        assertThat(uri.path("error_description").asText()).contains("lone UTF-16 surrogate");
        assertThat(email.path("field").asText()).isEqualTo("email");
        assertThat(email.path("error_description").asText()).contains("NUL");
        assertThat(nested.path("field").asText()).isEqualTo("roles[1]");
    }

    @Test
    void contentTypeWhenWrongThenEveryEndpointWithABodyAnswers400InItsShape() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            if (e.body() == null) {
                continue;
            }
            for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                    FORM.equals(e.body()) ? "application/json" : FORM)) {
                var reply = send(e, e.path(), type, ascii("grant_type=client_credentials"));
                check(problems, e, "content type " + type, reply);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void emailWhenLoneSurrogateThenRefusedAndNotStored() throws Exception {
        String local = "surrogate-" + UUID.randomUUID();
        Endpoint users = new Endpoint("POST", "/admin/api/users", ResponseShape.ADMIN, "application/json");
        var reply = send(users, users.path(), "application/json",
                ascii("{\"email\":\"" + local + "\\ud800@example.com\",\"password\":\"correct-horse-battery-staple\"}"));

        List<String> problems = new ArrayList<>();
        check(problems, users, "lone surrogate in an email", reply);
        assertThat(problems).isEmpty();
        assertThat(count("select count(*) from app_user where email like ?", local + "%")).isZero();
    }

    @Test
    void permissionContextWhenLoneSurrogateThenRefusedAndNothingWidened() throws Exception {
        String role = "surrogate-" + UUID.randomUUID();
        RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("name", role)).post("/admin/api/roles").then().statusCode(201);
        Endpoint permissions = new Endpoint("POST", "/admin/api/roles/" + role + "/permissions", ResponseShape.ADMIN, "application/json");

        var reply = send(permissions, permissions.path(), "application/json",
                ascii("{\"type\":\"view:reports\",\"context\":\"finance.\\ud800\"}"));

        List<String> problems = new ArrayList<>();
        check(problems, permissions, "lone surrogate in a permission context", reply);
        assertThat(problems).isEmpty();
        assertThat(count("select count(*) from role_permission where role_name = ?", role)).isZero();
    }

    @Test
    void patchClientWhenNullListItemThen400NamingTheFieldAndClientUnchanged() throws Exception {
        String clientId = "null-items-" + UUID.randomUUID();
        RestAssured.given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("client_id", clientId, "name", "null items", "redirect_uris", List.of("https://app.example.com/cb"),
                        "grant_types", List.of("authorization_code")))
                .post("/admin/api/clients").then().statusCode(201);
        Endpoint patch = new Endpoint("PATCH", "/admin/api/clients/" + clientId, ResponseShape.ADMIN, "application/json");

        for (String body : List.of("{\"redirect_uris\":[null]}", "{\"grant_types\":[\"authorization_code\",null]}",
                "{\"scopes\":[null]}", "{\"roles\":[null]}", "{\"post_logout_redirect_uris\":[null]}")) {
            var reply = send(patch, patch.path(), "application/json", ascii(body));
            assertThat(reply.status()).as("%s: %s", body, reply.body()).isEqualTo(400);
            JsonNode json = JSON.readTree(reply.body());
            assertThat(json.path("error").asText()).isEqualTo("invalid_request");
            assertThat(json.path("field").asText()).as(body).matches("[a-z_]+\\[\\d\\]");
        }
        assertThat(Database.rows(dataSource, "select array_to_string(redirect_uris, ' ') as uris, array_to_string(grant_types, ' ') as grants "
                + "from client where client_id = ?", clientId))
                .containsExactly(Map.of("uris", "https://app.example.com/cb", "grants", "authorization_code"));
    }

    // ---- the endpoints

    private List<Endpoint> endpoints() throws Exception {
        JsonNode discovery = JSON.readTree(RestAssured.get("/.well-known/openid-configuration").asString());
        List<Endpoint> all = new ArrayList<>();
        String authorize = path(discovery, "authorization_endpoint");
        all.add(new Endpoint("GET", authorize, ResponseShape.PAGE, null));
        all.add(new Endpoint("POST", authorize, ResponseShape.PAGE, FORM));
        for (String form : List.of("token_endpoint", "revocation_endpoint", "introspection_endpoint")) {
            all.add(new Endpoint("POST", path(discovery, form), ResponseShape.PROTOCOL, FORM));
        }
        all.add(new Endpoint("GET", path(discovery, "userinfo_endpoint"), ResponseShape.PROTOCOL, null));
        all.add(new Endpoint("POST", path(discovery, "userinfo_endpoint"), ResponseShape.PROTOCOL, FORM));
        all.add(new Endpoint("GET", path(discovery, "jwks_uri"), ResponseShape.PROTOCOL, null));
        all.add(new Endpoint("GET", "/.well-known/openid-configuration", ResponseShape.PROTOCOL, null));
        all.add(new Endpoint("GET", "/.well-known/oauth-authorization-server", ResponseShape.PROTOCOL, null));
        String logout = path(discovery, "end_session_endpoint");
        all.add(new Endpoint("GET", logout, ResponseShape.PAGE, null));
        all.add(new Endpoint("POST", logout, ResponseShape.PAGE, FORM));
        for (String page : List.of("/login", "/register", "/consent")) {
            all.add(new Endpoint("GET", page, ResponseShape.PAGE, null));
            all.add(new Endpoint("POST", page, ResponseShape.PAGE, FORM));
        }
        all.add(new Endpoint("GET", "/account", ResponseShape.PAGE, null));
        all.add(new Endpoint("POST", "/account/password", ResponseShape.PAGE, FORM));
        all.add(new Endpoint("POST", "/account/gitlab/link", ResponseShape.PAGE, FORM));
        all.add(new Endpoint("POST", "/account/gitlab/unlink", ResponseShape.PAGE, FORM));
        all.add(new Endpoint("GET", "/account/export", ResponseShape.PAGE, null));
        all.add(new Endpoint("POST", "/account/delete", ResponseShape.PAGE, FORM));
        all.add(new Endpoint("GET", "/account/deleted", ResponseShape.PAGE, null));
        all.add(new Endpoint("POST", "/account/email", ResponseShape.PAGE, FORM));
        all.add(new Endpoint("GET", "/confirm-email", ResponseShape.PAGE, null));
        all.add(new Endpoint("POST", "/confirm-email", ResponseShape.PAGE, FORM));
        for (String page : List.of("/verify-email", "/forgot-password", "/reset-password")) {
            all.add(new Endpoint("GET", page, ResponseShape.PAGE, null));
            all.add(new Endpoint("POST", page, ResponseShape.PAGE, FORM));
        }
        all.add(new Endpoint("POST", "/verify-email/resend", ResponseShape.PAGE, FORM));
        all.add(new Endpoint("GET", "/login/gitlab", ResponseShape.PAGE, null));
        // the admin console (SPEC section 11): pages too, signed in or not
        for (String page : List.of("/admin/roles", "/admin/users", "/admin/clients")) {
            all.add(new Endpoint("GET", page, ResponseShape.PAGE, null));
            all.add(new Endpoint("POST", page, ResponseShape.PAGE, FORM));
        }
        all.add(new Endpoint("GET", "/admin/access", ResponseShape.PAGE, null));
        String user = "/admin/api/users/no-such-user-" + UUID.randomUUID();
        String role = "/admin/api/roles/no-such-role";
        String client = "/admin/api/clients/no-such-client";
        all.add(admin("GET", "/admin/api/users", false));
        all.add(admin("POST", "/admin/api/users", true));
        all.add(admin("GET", user, false));
        all.add(admin("PATCH", user, true));
        all.add(admin("DELETE", user, false));
        all.add(admin("PUT", user + "/roles", true));
        all.add(admin("GET", user + "/export", false));
        all.add(admin("POST", user + "/verification", false));
        all.add(admin("GET", "/admin/api/roles", false));
        all.add(admin("POST", "/admin/api/roles", true));
        all.add(admin("GET", role, false));
        all.add(admin("DELETE", role, false));
        all.add(admin("POST", role + "/permissions", true));
        all.add(admin("DELETE", role + "/permissions", false));
        all.add(admin("GET", "/admin/api/clients", false));
        all.add(admin("POST", "/admin/api/clients", true));
        all.add(admin("GET", client, false));
        all.add(admin("PATCH", client, true));
        all.add(admin("DELETE", client, false));
        all.add(admin("POST", client + "/secret", false));
        all.add(admin("POST", "/admin/api/keys/rotate", true));
        all.add(admin("GET", "/admin/api/audit", false));
        return all;
    }

    private static Endpoint admin(String method, String path, boolean json) {
        return new Endpoint(method, path, ResponseShape.ADMIN, json ? "application/json" : null);
    }

    private static String path(JsonNode discovery, String key) {
        String url = discovery.path(key).asText();
        assertThat(url).as("discovery announces %s", key).isNotEmpty();
        return URI.create(url).getPath();
    }

    // ---- sending and checking

    private RawRequest.Reply send(Endpoint e, String target, String contentType, byte[] body) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.shape() == ResponseShape.ADMIN) {
            headers.put("Authorization", "Bearer " + admin);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return RawRequest.send(base.getPort(), e.method(), target, headers, body);
    }

    private static void check(List<String> problems, Endpoint e, String kind, RawRequest.Reply reply) {
        String problem = null;
        if (reply.status() >= 500) {
            problem = "a " + reply.status();
        } else if (reply.status() != 400) {
            problem = "status " + reply.status();
        } else if (e.shape() == ResponseShape.PAGE) {
            if (!reply.contentType().startsWith("text/html")) {
                problem = "not a page: " + reply.contentType();
            }
        } else {
            try {
                JsonNode json = JSON.readTree(reply.body());
                if (!reply.contentType().startsWith("application/json") || !"invalid_request".equals(json.path("error").asText())) {
                    problem = "not invalid_request JSON";
                }
            } catch (Exception notJson) {
                problem = "not JSON: " + reply.contentType();
            }
        }
        if (problem != null) {
            String body = reply.body().length() > 160 ? reply.body().substring(0, 160) + "..." : reply.body();
            problems.add(e + " [" + kind + "]: " + problem + " " + body.replace('\n', ' '));
        }
    }

    private long count(String sql, Object... params) {
        return Database.count(dataSource, sql, params);
    }

    private static Map<String, String> kinds(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Strings as ASCII, integers as single bytes. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(ascii(s));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }
}
