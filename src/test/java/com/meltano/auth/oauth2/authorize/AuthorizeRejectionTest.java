package com.meltano.auth.oauth2.authorize;

import static com.meltano.auth.oauth2.authorize.BrowserSession.FLOW;
import static com.meltano.auth.oauth2.authorize.BrowserSession.locationPath;
import static com.meltano.auth.oauth2.authorize.BrowserSession.locationQuery;
import static com.meltano.auth.oauth2.authorize.BrowserSession.locationWithoutQuery;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.ISSUER;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.REDIRECT;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.param;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.oauth2.authorize.FlowFixtures.Client;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Pkce;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every way an authorization request can go wrong, as a table (RFC 6749 sections 3.1.2 and
 * 4.1.2.1, RFC 7636, RFC 8252 section 7.3, RFC 9101, RFC 9207, RFC 9700 sections 4.1 and 4.11,
 * OIDC Core 3.1.2; SPEC section 4). An untrusted client or redirect URI gets a 400 HTML page and
 * never a redirect (an open redirector otherwise); everything else goes back to the registered
 * URI with {@code error}, {@code state} and {@code iss}. In no case is a grant or a code created.
 * Each row uses a fresh public client registered with {@value FlowFixtures#REDIRECT}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AuthorizeRejectionTest {

    enum Expect {
        /** 400 HTML error page; no Location, no flow cookie. */
        PAGE,
        /** 303 to the registered URI with error, state and iss. */
        ERROR_REDIRECT,
        /** Accepted: 303 to the login page with a flow cookie. */
        LOGIN
    }

    /** One row: how to spoil a valid request, what must come of it. */
    record Case(Consumer<Map<String, List<String>>> spoil, Expect expect, String error) {
    }

    @Inject
    DataSource ds;

    static Stream<Arguments> cases() {
        return Stream.of(
                // the client or the redirect URI cannot be trusted: a page, never a redirect
                row("unknown client_id", p -> set(p, "client_id", "no-such-client-" + FlowFixtures.random(6)), Expect.PAGE, null),
                row("missing client_id", p -> p.remove("client_id"), Expect.PAGE, null),
                row("repeated client_id", p -> p.put("client_id", List.of(param(p, "client_id"), param(p, "client_id"))), Expect.PAGE, null),
                row("missing redirect_uri", p -> p.remove("redirect_uri"), Expect.PAGE, null),
                row("empty redirect_uri", p -> set(p, "redirect_uri", ""), Expect.PAGE, null),
                row("repeated redirect_uri", p -> p.put("redirect_uri", List.of(REDIRECT, REDIRECT)), Expect.PAGE, null),
                row("redirect_uri with a trailing slash", p -> set(p, "redirect_uri", REDIRECT + "/"), Expect.PAGE, null),
                row("redirect_uri in different case", p -> set(p, "redirect_uri", "HTTP://127.0.0.1:9999/CB"), Expect.PAGE, null),
                row("redirect_uri path in different case", p -> set(p, "redirect_uri", "http://127.0.0.1:9999/CB"), Expect.PAGE, null),
                row("redirect_uri with an extra query", p -> set(p, "redirect_uri", REDIRECT + "?next=x"), Expect.PAGE, null),
                row("redirect_uri with userinfo (@ trick)", p -> set(p, "redirect_uri", "http://127.0.0.1:9999@evil.com/cb"), Expect.PAGE, null),
                row("redirect_uri with userinfo on loopback", p -> set(p, "redirect_uri", "http://evil@127.0.0.1:9999/cb"), Expect.PAGE, null),
                row("redirect_uri with a fragment", p -> set(p, "redirect_uri", REDIRECT + "#x"), Expect.PAGE, null),
                row("redirect_uri http non-loopback", p -> set(p, "redirect_uri", "http://example.com/cb"), Expect.PAGE, null),
                row("redirect_uri https on another host", p -> set(p, "redirect_uri", "https://evil.com/cb"), Expect.PAGE, null),
                row("redirect_uri localhost for registered 127.0.0.1", p -> set(p, "redirect_uri", "http://localhost:9999/cb"), Expect.PAGE, null),
                row("redirect_uri loopback prefix path", p -> set(p, "redirect_uri", REDIRECT + "/../evil"), Expect.PAGE, null),
                row("redirect_uri loopback other port and other path", p -> set(p, "redirect_uri", "http://127.0.0.1:12345/evil"), Expect.PAGE, null),

                // accepted
                row("loopback redirect_uri on another port (RFC 8252)", p -> set(p, "redirect_uri", "http://127.0.0.1:12345/cb"), Expect.LOGIN, null),
                row("unknown scope dropped", p -> set(p, "scope", "openid foo"), Expect.LOGIN, null),

                // the redirect URI is the client's own: the error goes back to it
                row("response_type=token", p -> set(p, "response_type", "token"), Expect.ERROR_REDIRECT, "unsupported_response_type"),
                row("response_type=code id_token", p -> set(p, "response_type", "code id_token"), Expect.ERROR_REDIRECT, "unsupported_response_type"),
                row("missing response_type", p -> p.remove("response_type"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("code_challenge_method=plain", p -> set(p, "code_challenge_method", "plain"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("code_challenge without method", p -> p.remove("code_challenge_method"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("code_challenge_method without challenge", p -> p.remove("code_challenge"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("too short code_challenge", p -> set(p, "code_challenge", "abc123"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("too long code_challenge", p -> set(p, "code_challenge", param(p, "code_challenge") + "A"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("code_challenge with characters outside base64url", p -> set(p, "code_challenge",
                        param(p, "code_challenge").substring(0, 42) + "+"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("public client without PKCE", p -> {
                    p.remove("code_challenge");
                    p.remove("code_challenge_method");
                }, Expect.ERROR_REDIRECT, "invalid_request"),
                row("request object", p -> set(p, "request", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9."), Expect.ERROR_REDIRECT, "request_not_supported"),
                row("request_uri", p -> set(p, "request_uri", "https://client.example/request.jwt"), Expect.ERROR_REDIRECT, "request_uri_not_supported"),
                row("scope admin for a client without it", p -> set(p, "scope", "openid admin"), Expect.ERROR_REDIRECT, "invalid_scope"),
                row("repeated scope", p -> p.put("scope", List.of("openid", "email")), Expect.ERROR_REDIRECT, "invalid_request"),
                row("unknown prompt", p -> set(p, "prompt", "sometimes"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("prompt none with login", p -> set(p, "prompt", "none login"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("negative max_age", p -> set(p, "max_age", "-1"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("non-numeric max_age", p -> set(p, "max_age", "soon"), Expect.ERROR_REDIRECT, "invalid_request"),
                row("prompt none without a session", p -> set(p, "prompt", "none"), Expect.ERROR_REDIRECT, "login_required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void authorizationRequestWhenSpoiledThenPageOrErrorRedirectAndNoGrant(String name, Case c) {
        Client client = FlowFixtures.publicClient(false);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), "openid email");
        c.spoil().accept(request);

        Response r = new BrowserSession().authorize(request);

        switch (c.expect()) {
            case PAGE -> assertPage(r);
            case ERROR_REDIRECT -> assertErrorRedirect(r, request, c.error());
            case LOGIN -> {
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
                assertThat(locationPath(r)).isEqualTo("/login");
                assertThat(BrowserSession.setCookie(r, FLOW)).isPresent();
                assertThat(FlowFixtures.flows(ds, client.id())).isEqualTo(1);
            }
        }
        assertThat(FlowFixtures.grants(ds, client.id())).as("oauth_grant rows").isZero();
        assertThat(FlowFixtures.codes(ds, client.id())).as("authorization_code rows").isZero();
        if (c.expect() != Expect.LOGIN) {
            assertThat(FlowFixtures.flows(ds, client.id())).as("login_flow rows").isZero();
        }
    }

    @Test
    void unknownScopeWhenDroppedThenFlowHoldsOnlyKnownScopes() {
        Client client = FlowFixtures.publicClient(false);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), "openid foo email");

        Response r = new BrowserSession().authorize(request);

        assertThat(locationPath(r)).isEqualTo("/login");
        assertThat(Database.count(ds, "select count(*) from login_flow where client_id = ? and not ('foo' = any(scopes))"
                + " and 'openid' = any(scopes) and 'email' = any(scopes)", client.id())).isEqualTo(1);
    }

    @Test
    void unregisteredRedirectUriByPostThenPageNotRedirect() {
        Client client = FlowFixtures.publicClient(false);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), "openid");
        request.put("redirect_uri", List.of("https://evil.example/cb"));

        Response r = new BrowserSession().authorizeByPost(request);

        assertPage(r);
        assertThat(FlowFixtures.grants(ds, client.id())).isZero();
    }

    @Test
    void validRequestByPostThenLoginPage() {
        Client client = FlowFixtures.publicClient(false);

        Response r = new BrowserSession().authorizeByPost(FlowFixtures.request(client, Pkce.fresh(), "openid"));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(locationPath(r)).isEqualTo("/login");
    }

    @Test
    void errorPageWhenRedirectUriUnregisteredThenItIsNeitherLinkedNorEchoedAsMarkup() {
        Client client = FlowFixtures.publicClient(false);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), "openid");
        request.put("redirect_uri", List.of("https://evil.example/cb\"><script>alert(1)</script>"));

        Response r = new BrowserSession().authorize(request);

        assertPage(r);
        Document page = BrowserSession.html(r);
        assertThat(page.select("script")).isEmpty();
        assertThat(page.select("a[href*=evil], form[action*=evil], meta[http-equiv]")).isEmpty();
    }

    @Test
    void authorizationEndpointWhenRequestHasOriginThenNoCorsHeaders() {
        Client client = FlowFixtures.publicClient(false);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), "openid");

        Response get = given().redirects().follow(false).urlEncodingEnabled(false).header("Origin", "http://127.0.0.1:9999")
                .get(AuthorizeEndpoint.PATH + "?" + BrowserSession.query(request));
        Response preflight = given().redirects().follow(false).header("Origin", "http://127.0.0.1:9999")
                .header("Access-Control-Request-Method", "GET").options(AuthorizeEndpoint.PATH);
        Response evilOrigin = given().redirects().follow(false).urlEncodingEnabled(false).header("Origin", "https://evil.example")
                .get(AuthorizeEndpoint.PATH + "?" + BrowserSession.query(request));

        for (Response r : List.of(get, preflight, evilOrigin)) {
            assertThat(r.header("Access-Control-Allow-Origin")).as("ACAO of a %d answer", r.statusCode()).isNull();
            assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(r.header("Access-Control-Allow-Methods")).isNull();
        }
        assertThat(get.statusCode()).isEqualTo(303);
    }

    private static void assertPage(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.header("Location")).as("never a redirect").isNull();
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(BrowserSession.setCookie(r, FLOW)).as("no flow cookie").isEmpty();
        assertThat(BrowserSession.html(r).selectFirst("h1")).isNotNull();
    }

    private static void assertErrorRedirect(Response r, Map<String, List<String>> request, String error) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(locationWithoutQuery(r)).isEqualTo(REDIRECT);
        Map<String, String> answer = locationQuery(r);
        assertThat(answer.get("error")).as(BrowserSession.location(r)).isEqualTo(error);
        assertThat(answer.get("state")).isEqualTo(param(request, "state"));
        assertThat(answer.get("iss")).isEqualTo(ISSUER);
        assertThat(answer).doesNotContainKey("code");
        assertThat(BrowserSession.setCookie(r, FLOW)).as("no flow cookie").isEmpty();
    }

    private static Arguments row(String name, Consumer<Map<String, List<String>>> spoil, Expect expect, String error) {
        return Arguments.of(name, new Case(spoil, expect, error));
    }

    private static void set(Map<String, List<String>> p, String name, String value) {
        p.put(name, List.of(value));
    }
}
