package com.meltano.auth.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import com.meltano.auth.support.Api;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A minimal browser for the page tests: a cookie jar (RestAssured keeps none), GET and form POST
 * without following redirects, the hidden {@code csrf} input of a page, and the whole sign-in of
 * an authorization request (authorize, login page, consent page when shown) ending at the client's
 * {@code redirect_uri} with a code. Also the client side of the token endpoint and the fixtures
 * (clients, users) the browser tests share.
 */
public final class Browser {

    public static final String FLOW = "meltano_flow";
    public static final String SESSION = "meltano_session";

    /** A password that passes the policy (8 to 128 characters, not the email). */
    public static final String PASSWORD = "correct-horse-battery-staple";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, String> jar = new LinkedHashMap<>();

    // ---------------------------------------------------------------- cookies

    public String cookie(String name) {
        return jar.get(name);
    }

    /** A copy of every cookie the browser holds. */
    public Map<String, String> cookies() {
        return new LinkedHashMap<>(jar);
    }

    public Browser withCookie(String name, String value) {
        if (value == null) {
            jar.remove(name);
        } else {
            jar.put(name, value);
        }
        return this;
    }

    public Browser forget(String name) {
        jar.remove(name);
        return this;
    }

    /** A new browser holding only this session cookie (another tab of the same person, or a stolen cookie). */
    public static Browser withSession(String sessionCookie) {
        return new Browser().withCookie(SESSION, sessionCookie);
    }

    // ---------------------------------------------------------------- requests

    public RequestSpecification request() {
        return given().redirects().follow(false).cookies(new HashMap<>(jar));
    }

    /** GET of a path (query included) or of an absolute URL of this server. */
    public Response get(String pathOrUrl) {
        return remember(request().get(pathOrUrl));
    }

    public Response get(String path, Map<String, ?> query) {
        return remember(request().queryParams(query).get(path));
    }

    public Response post(String path, Map<String, ?> form) {
        // as a browser posts a form of a UTF-8 page
        return remember(request().contentType(ContentType.URLENC.withCharset("UTF-8")).formParams(form).post(path));
    }

    /** Follows one redirect by hand: GET of the Location, which must be on this server. */
    public Response follow(Response redirect) {
        assertThat(redirect.statusCode()).as("a redirect: %s", redirect.asString()).isIn(302, 303);
        String path = ourPath(redirect.header("Location"));
        assertThat(path).as("redirect on this server: %s", redirect.header("Location")).isNotNull();
        return get(path);
    }

    private Response remember(Response r) {
        for (Cookie c : r.getDetailedCookies()) {
            if (c.getValue() == null || c.getValue().isEmpty() || c.getMaxAge() == 0) {
                jar.remove(c.getName());
            } else {
                jar.put(c.getName(), c.getValue());
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- pages

    public static Document html(Response page) {
        return Jsoup.parse(page.asString());
    }

    /** The hidden {@code csrf} input of the page's form. */
    public static String csrf(Response page) {
        Element input = html(page).selectFirst("input[name=csrf]");
        assertThat(input).as("a csrf input in %s", page.asString()).isNotNull();
        return input.attr("value");
    }

    /**
     * GETs a page on this server and returns its csrf token (the form token of the page's flow),
     * following the server's own redirects (a bare {@code /login} goes on to the page of a flow).
     */
    public String csrfOf(String path) {
        Response page = get(path);
        for (int i = 0; i < 3 && page.statusCode() == 303 && ourPath(page.header("Location")) != null; i++) {
            page = follow(page);
        }
        assertThat(page.statusCode()).as("GET %s: %s", path, page.asString()).isEqualTo(200);
        return csrf(page);
    }

    /**
     * The path and query of a Location when it points at this server (relative, or absolute with
     * this server's port), null when it points elsewhere (at a client).
     */
    public static String ourPath(String location) {
        if (location == null) {
            return null;
        }
        URI u = URI.create(location);
        if (u.getScheme() == null) {
            return location;
        }
        boolean local = ("localhost".equals(u.getHost()) || "127.0.0.1".equals(u.getHost()))
                && u.getPort() == RestAssured.port;
        if (!local) {
            return null;
        }
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /**
     * A Location on this server without the {@code flow} parameter that names the login flow: what a
     * page's answer says ({@code /login?failed=1}, {@code /register?error=email}).
     */
    public static String outcome(String location) {
        String p = ourPath(location);
        return p == null ? null : p.replaceFirst("([?&])flow=[^&]*(&|$)", "$1").replaceFirst("[?&]$", "");
    }

    /** Just the path of a Location on this server (no query). */
    public static String ourPathOnly(String location) {
        String p = ourPath(location);
        return p == null ? null : p.split("\\?", 2)[0];
    }

    /** The decoded query parameters of a URL. */
    public static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        if (q == null) {
            return out;
        }
        for (String pair : q.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---------------------------------------------------------------- the authorization request

    /** GET /oauth2/authorize with these parameters, as a browser navigating there. */
    public Response authorize(Map<String, String> params) {
        return get("/oauth2/authorize", params);
    }

    /** The usual parameters of an authorization request with PKCE. */
    public static Map<String, String> authorizeParams(String clientId, String redirectUri, String scope, String state,
            String verifier) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        if (scope != null) {
            p.put("scope", scope);
        }
        p.put("state", state);
        p.put("nonce", "n-" + UUID.randomUUID());
        if (verifier != null) {
            p.put("code_challenge", challenge(verifier));
            p.put("code_challenge_method", "S256");
        }
        return p;
    }

    /** The end of a sign-in: the code at the client, the session cookie, the PKCE verifier used. */
    public record SignIn(String code, String session, String verifier, String state, String location) {
    }

    /**
     * An authorization request with PKCE, then whatever pages the server shows (login when there is
     * no session, consent when asked: allowed), until the browser is sent to {@code redirectUri}.
     * {@code email}/{@code password} may be null when the browser is already signed in.
     */
    public SignIn signIn(String clientId, String redirectUri, String scope, String email, String password) {
        String verifier = newVerifier();
        String state = "st-" + UUID.randomUUID();
        Response r = authorize(authorizeParams(clientId, redirectUri, scope, state, verifier));
        for (int step = 0; step < 6; step++) {
            assertThat(r.statusCode()).as("step %d of the sign-in: %s", step, r.asString()).isEqualTo(303);
            String location = r.header("Location");
            if (location.startsWith(redirectUri)) {
                Map<String, String> q = query(location);
                assertThat(q).as("the client got a code: %s", location).containsKey("code");
                assertThat(q.get("state")).isEqualTo(state);
                return new SignIn(q.get("code"), jar.get(SESSION), verifier, state, location);
            }
            String path = ourPathOnly(location);
            if ("/login".equals(path)) {
                assertThat(email).as("a login page was shown, but no credentials were given").isNotNull();
                String csrf = csrfOf("/login");
                r = post("/login", Map.of("email", email, "password", password, "csrf", csrf));
            } else if ("/consent".equals(path)) {
                String csrf = csrfOf("/consent");
                r = post("/consent", Map.of("decision", "allow", "csrf", csrf));
            } else {
                throw new AssertionError("unexpected redirect during sign-in: " + location);
            }
        }
        throw new AssertionError("the sign-in did not reach the client");
    }

    // ---------------------------------------------------------------- the token endpoint

    /** What the token endpoint returned. */
    public record Tokens(String accessToken, String refreshToken, String idToken, String scope) {
    }

    public static Tokens exchange(Client client, SignIn signIn) {
        return exchange(client, signIn.code(), client.redirectUri(), signIn.verifier());
    }

    /** The authorization_code grant; must succeed. */
    public static Tokens exchange(Client client, String code, String redirectUri, String verifier) {
        Response r = exchangeResponse(client, code, redirectUri, verifier);
        assertThat(r.statusCode()).as("code exchange: %s", r.asString()).isEqualTo(200);
        return tokens(r);
    }

    public static Response exchangeResponse(Client client, String code, String redirectUri, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return token(client, form);
    }

    public static Response refresh(Client client, String refreshToken) {
        return token(client, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    /** A refresh that must succeed; returns the rotated tokens. */
    public static Tokens refreshed(Client client, String refreshToken) {
        Response r = refresh(client, refreshToken);
        assertThat(r.statusCode()).as("refresh: %s", r.asString()).isEqualTo(200);
        return tokens(r);
    }

    /** A POST to the token endpoint, authenticated as the client (Basic, or client_id for a public one). */
    public static Response token(Client client, Map<String, String> form) {
        return authenticated(client).contentType(ContentType.URLENC).formParams(form).post("/oauth2/token");
    }

    /** A request carrying the client's authentication: Basic for a confidential client, client_id for a public one. */
    public static RequestSpecification authenticated(Client client) {
        RequestSpecification r = given().redirects().follow(false);
        return client.secret() == null ? r.formParam("client_id", client.id())
                : r.auth().preemptive().basic(client.id(), client.secret());
    }

    public static Tokens tokens(Response r) {
        return new Tokens(r.path("access_token"), r.path("refresh_token"), r.path("id_token"), r.path("scope"));
    }

    // ---------------------------------------------------------------- PKCE

    public static String newVerifier() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64URL.encodeToString(b);
    }

    public static String challenge(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- fixtures: clients and users

    /** A registered client: its id, its secret (null for a public client) and its first redirect URI. */
    public record Client(String id, String secret, String redirectUri, String postLogoutRedirectUri) {
    }

    /** A fresh https redirect URI on a host of its own (so its origin is unique too). */
    public static String uniqueRedirectUri() {
        return "https://rp-" + UUID.randomUUID().toString().substring(0, 13) + ".example/callback";
    }

    /** A confidential browser client with the code and refresh grants, default scopes. */
    public static Client webClient(boolean firstParty) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("first_party", firstParty);
        return registerClient(body);
    }

    /**
     * Registers a browser client over the admin API; {@code redirect_uris}, {@code grant_types},
     * {@code name} and {@code post_logout_redirect_uris} get defaults when absent.
     */
    public static Client registerClient(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        String redirectUri = uniqueRedirectUri();
        body.putIfAbsent("name", "browser test client");
        body.putIfAbsent("redirect_uris", List.of(redirectUri));
        body.putIfAbsent("post_logout_redirect_uris", List.of(redirectUri.replace("/callback", "/signed-out")));
        body.putIfAbsent("grant_types", List.of("authorization_code", "refresh_token"));
        Response r = Api.admin().body(body).post("/admin/api/clients");
        assertThat(r.statusCode()).as("client registration: %s", r.asString()).isEqualTo(201);
        @SuppressWarnings("unchecked")
        List<String> uris = (List<String>) body.get("redirect_uris");
        @SuppressWarnings("unchecked")
        List<String> postLogout = (List<String>) body.get("post_logout_redirect_uris");
        return new Client(r.path("client_id"), r.path("client_secret"), uris.get(0), postLogout.isEmpty() ? null : postLogout.get(0));
    }

    public static String uniqueEmail(String label) {
        return label + "-" + UUID.randomUUID() + "@example.com";
    }

    /** Creates a user with this password over the admin API (role regular); returns the id. */
    public static String createUser(String email, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", password);
        Response r = Api.admin().body(body).post("/admin/api/users");
        assertThat(r.statusCode()).as("user creation: %s", r.asString()).isEqualTo(201);
        return r.path("id");
    }

    /** The users with this email, as the admin API lists them (0 or 1). */
    public static List<Map<String, Object>> usersWithEmail(String email) {
        Response r = Api.admin().queryParam("email", email).get("/admin/api/users");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getList("items");
    }

    public static void patchUser(String id, Map<String, Object> changes) {
        Response r = Api.admin().body(changes).patch("/admin/api/users/" + id);
        assertThat(r.statusCode()).as("PATCH user: %s", r.asString()).isEqualTo(200);
    }

    /** GET /userinfo with the bearer token: just the status, for "does this token still work". */
    public static int userinfoStatus(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).get("/userinfo").statusCode();
    }
}
