package com.meltano.auth.oauth2.authorize;

import static com.meltano.auth.oauth2.authorize.BrowserSession.FLOW;
import static com.meltano.auth.oauth2.authorize.BrowserSession.SESSION;
import static com.meltano.auth.oauth2.authorize.BrowserSession.location;
import static com.meltano.auth.oauth2.authorize.BrowserSession.locationPath;
import static com.meltano.auth.oauth2.authorize.BrowserSession.locationQuery;
import static com.meltano.auth.oauth2.authorize.BrowserSession.locationWithoutQuery;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.ISSUER;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.PASSWORD;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.REDIRECT;
import static com.meltano.auth.oauth2.authorize.FlowFixtures.param;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.authorize.BrowserSession.SetCookie;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Client;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Pkce;
import com.meltano.auth.oauth2.authorize.FlowFixtures.User;
import com.meltano.auth.support.PostgresTestResource;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The authorization code flow as a browser walks it (RFC 6749 section 4.1, RFC 7636, RFC 9207,
 * OIDC Core 3.1; SPEC sections 4, 5 and 7): authorization request, login page, consent page,
 * redirect with code, state and iss, token exchange, and the tokens verified independently.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CodeFlowTest {

    private static final String SCOPE = "openid email offline_access";

    @Inject
    DataSource ds;

    @Test
    void publicClientWhenUserSignsInAndAllowsThenCodeExchangesForVerifiedTokens() throws Exception {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        Pkce pkce = Pkce.fresh();
        Map<String, List<String>> request = FlowFixtures.request(client, pkce, SCOPE);
        BrowserSession browser = new BrowserSession();

        // 1. the authorization request, without a session: to the login page, with a flow cookie
        Response authorize = browser.authorize(request);
        assertThat(authorize.statusCode()).as(authorize.asString()).isEqualTo(303);
        assertThat(locationPath(authorize)).isEqualTo("/login");
        SetCookie flow = BrowserSession.setCookie(authorize, FLOW).orElseThrow();
        assertThat(flow.value()).isNotBlank();
        assertThat(flow.has("HttpOnly")).as("flow cookie HttpOnly: %s", flow).isTrue();
        assertThat(flow.attribute("SameSite")).as("flow cookie SameSite: %s", flow).isEqualToIgnoringCase("Lax");
        assertThat(flow.attribute("Path")).isEqualTo("/");
        assertThat(BrowserSession.setCookie(authorize, SESSION)).isEmpty();

        // 2. the login page: a form with email, password and a CSRF token (framing: see loginPage... below)
        Response loginPage = browser.get("/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.contentType()).startsWith("text/html");
        Map<String, String> form = BrowserSession.form(loginPage, "/login");
        assertThat(form).containsKeys("email", "password", "csrf");
        assertThat(form.get("csrf")).isNotBlank();
        Document page = BrowserSession.html(loginPage);
        assertThat(page.selectFirst("input[name=csrf]").attr("type")).isEqualTo("hidden");
        assertThat(page.selectFirst("input[name=password]").attr("type")).isEqualTo("password");

        // 3. the right password: a session cookie, and on to consent (not a first-party client)
        form.put("email", user.email());
        form.put("password", PASSWORD);
        Response login = browser.post("/login", form);
        assertThat(login.statusCode()).as(login.asString()).isEqualTo(303);
        assertThat(locationPath(login)).isEqualTo("/consent");
        SetCookie session = BrowserSession.setCookie(login, SESSION).orElseThrow();
        assertThat(session.value()).isNotBlank();
        assertThat(session.has("HttpOnly")).as("session cookie HttpOnly: %s", session).isTrue();
        assertThat(session.attribute("SameSite")).isEqualToIgnoringCase("Lax");

        // 4. the consent page: allow and deny buttons, a CSRF token
        Response consentPage = browser.get("/consent");
        assertThat(consentPage.statusCode()).isEqualTo(200);
        Document consent = BrowserSession.html(consentPage);
        assertThat(consent.select("form[action=/consent] button[name=decision]").eachAttr("value"))
                .containsExactlyInAnyOrder("allow", "deny");
        Map<String, String> consentForm = BrowserSession.form(consentPage, "/consent");
        assertThat(consentForm.get("csrf")).isNotBlank();
        consentForm.put("decision", "allow");
        Response allowed = browser.post("/consent", consentForm);

        // 5. back at the client with a code, the same state, and our issuer (RFC 9207)
        assertThat(allowed.statusCode()).isEqualTo(303);
        assertThat(locationWithoutQuery(allowed)).isEqualTo(REDIRECT);
        Map<String, String> answer = locationQuery(allowed);
        assertThat(answer.get("state")).isEqualTo(param(request, "state"));
        assertThat(answer.get("iss")).isEqualTo(ISSUER);
        assertThat(answer).doesNotContainKey("error");
        String code = answer.get("code");
        assertThat(code).isNotBlank();

        // 6. the exchange (public client: client_id in the body, the PKCE verifier)
        Response tokens = FlowFixtures.exchange(client, code, REDIRECT, pkce.verifier());
        assertThat(tokens.statusCode()).as(tokens.asString()).isEqualTo(200);
        assertThat(tokens.header("Cache-Control")).contains("no-store");
        assertThat(tokens.jsonPath().getString("token_type")).isEqualToIgnoringCase("Bearer");
        assertThat(tokens.jsonPath().getString("scope")).isEqualTo(SCOPE);
        assertThat(tokens.jsonPath().getString("refresh_token")).isNotBlank();
        String accessToken = tokens.jsonPath().getString("access_token");
        String idToken = tokens.jsonPath().getString("id_token");

        JWTClaimsSet at = FlowFixtures.verifyAccessToken(accessToken);
        SignedJWT atJwt = SignedJWT.parse(accessToken);
        assertThat(atJwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(at.getSubject()).as("sub is the user id, not the email").isEqualTo(user.id()).isNotEqualTo(user.email());
        assertThat(at.getAudience()).containsExactly("meltano");
        assertThat(at.getStringClaim("client_id")).isEqualTo(client.id());
        assertThat(at.getStringListClaim("roles")).containsExactly("regular");
        assertThat(at.getClaims()).as("no personal data in an access token").doesNotContainKeys("email", "email_verified", "name");
        assertThat(atJwt.getPayload().toString()).doesNotContain(user.email());
        assertThat(at.getClaim("auth_time")).as("a user authenticated").isNotNull();

        JWTClaimsSet id = FlowFixtures.verifyIdToken(idToken, client.id());
        assertThat(id.getIssuer()).isEqualTo(ISSUER);
        assertThat(id.getAudience()).containsExactly(client.id());
        assertThat(id.getSubject()).isEqualTo(user.id());
        assertThat(id.getStringClaim("nonce")).isEqualTo(param(request, "nonce"));
        assertThat(id.getStringClaim("at_hash")).isEqualTo(FlowFixtures.atHash(accessToken));
        assertThat(id.getStringClaim("sid")).isNotBlank();
        assertThat(id.getStringClaim("email")).isEqualTo(user.email());
        assertThat(id.getBooleanClaim("email_verified")).isFalse();
        assertThat(id.getClaim("auth_time")).isNotNull();
        assertThat(id.getLongClaim("auth_time")).isEqualTo(at.getLongClaim("auth_time"));
        assertThat(SignedJWT.parse(idToken).getHeader().getType()).isIn(JOSEObjectType.JWT, null);
    }

    @Test
    void confidentialFirstPartyClientWhenUserSignsInThenStraightToRedirectUriAndBasicExchangeWorks() throws Exception {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.confidentialClient(true);
        Map<String, List<String>> request = FlowFixtures.request(client, null, "openid");
        BrowserSession browser = new BrowserSession();

        Response authorize = browser.authorize(request);
        assertThat(authorize.statusCode()).isEqualTo(303);
        assertThat(locationPath(authorize)).isEqualTo("/login");
        Response login = browser.signIn(user.email(), PASSWORD);

        assertThat(BrowserSession.setCookie(login, SESSION)).isPresent();
        String code = FlowFixtures.codeOf(login, request); // no consent page for a first-party client
        Response tokens = FlowFixtures.exchange(client, code, REDIRECT, null);
        assertThat(tokens.statusCode()).as(tokens.asString()).isEqualTo(200);
        assertThat(tokens.jsonPath().getString("scope")).isEqualTo("openid");
        JWTClaimsSet id = FlowFixtures.verifyIdToken(tokens.jsonPath().getString("id_token"), client.id());
        assertThat(id.getSubject()).isEqualTo(user.id());
        assertThat(id.getStringClaim("nonce")).isEqualTo(param(request, "nonce"));
        assertThat(id.getClaims()).as("no email claims without the email scope").doesNotContainKeys("email", "email_verified");
        assertThat(FlowFixtures.verifyAccessToken(tokens.jsonPath().getString("access_token")).getSubject()).isEqualTo(user.id());
    }

    @Test
    void secondAuthorizationWithSessionAndRememberedConsentThenCodeWithoutLoginOrConsent() throws Exception {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        assertThat(browser.cookie(SESSION)).isNotBlank();

        Pkce pkce = Pkce.fresh();
        Map<String, List<String>> again = FlowFixtures.request(client, pkce, SCOPE);
        Response r = browser.authorize(again);

        String code = FlowFixtures.codeOf(r, again);
        Response tokens = FlowFixtures.exchange(client, code, REDIRECT, pkce.verifier());
        assertThat(tokens.statusCode()).as(tokens.asString()).isEqualTo(200);
        assertThat(FlowFixtures.verifyIdToken(tokens.jsonPath().getString("id_token"), client.id()).getStringClaim("nonce"))
                .isEqualTo(param(again, "nonce"));
    }

    @Test
    void rememberedConsentWhenMoreScopesRequestedThenConsentAskedAgain() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), "openid"));

        Response r = browser.authorize(FlowFixtures.request(client, Pkce.fresh(), "openid email"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(locationPath(r)).isEqualTo("/consent");
    }

    @Test
    void consentDeniedThenAccessDeniedAtClientWithStateAndIssAndNoGrant() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), SCOPE);
        BrowserSession browser = new BrowserSession();
        browser.authorize(request);
        Response login = browser.signIn(user.email(), PASSWORD);
        assertThat(locationPath(login)).isEqualTo("/consent");

        Response denied = browser.decide("deny");

        assertThat(denied.statusCode()).isEqualTo(303);
        assertThat(locationWithoutQuery(denied)).isEqualTo(REDIRECT);
        Map<String, String> answer = locationQuery(denied);
        assertThat(answer.get("error")).isEqualTo("access_denied");
        assertThat(answer.get("state")).isEqualTo(param(request, "state"));
        assertThat(answer.get("iss")).isEqualTo(ISSUER);
        assertThat(answer).doesNotContainKey("code");
        assertThat(FlowFixtures.grants(ds, client.id())).isZero();
        assertThat(FlowFixtures.codes(ds, client.id())).isZero();
    }

    @Test
    void consentPostWithForgedCsrfThenNoCodeAndNoGrant() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        BrowserSession browser = new BrowserSession();
        browser.authorize(FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        browser.signIn(user.email(), PASSWORD);

        Response forged = browser.post("/consent", Map.of("decision", "allow", "csrf", "forged-" + FlowFixtures.random(16)));

        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(location(forged)).doesNotContain("code=").doesNotStartWith(REDIRECT);
        assertThat(FlowFixtures.grants(ds, client.id())).isZero();
    }

    @Test
    void loginWithWrongPasswordThenBackToLoginWithoutSession() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        browser.authorize(FlowFixtures.request(client, Pkce.fresh(), SCOPE));

        Response failed = browser.signIn(user.email(), PASSWORD + "-wrong");

        assertThat(failed.statusCode()).isEqualTo(303);
        assertThat(locationPath(failed)).isEqualTo("/login");
        assertThat(BrowserSession.setCookie(failed, SESSION)).isEmpty();
        assertThat(browser.cookie(SESSION)).isNull();
        assertThat(FlowFixtures.grants(ds, client.id())).isZero();
    }

    @Test
    void loginPostWithForgedCsrfThenNoSession() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        browser.authorize(FlowFixtures.request(client, Pkce.fresh(), SCOPE));

        Response forged = browser.post("/login", Map.of("email", user.email(), "password", PASSWORD,
                "csrf", "forged-" + FlowFixtures.random(16)));

        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(locationPath(forged)).isEqualTo("/login");
        assertThat(BrowserSession.setCookie(forged, SESSION)).isEmpty();
        assertThat(FlowFixtures.grants(ds, client.id())).isZero();
    }

    @Test
    void promptNoneWithoutSessionThenLoginRequiredAtClient() {
        Client client = FlowFixtures.publicClient(true);
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), SCOPE);
        request.put("prompt", List.of("none"));

        Response r = new BrowserSession().authorize(request);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(locationWithoutQuery(r)).isEqualTo(REDIRECT);
        Map<String, String> answer = locationQuery(r);
        assertThat(answer.get("error")).isEqualTo("login_required");
        assertThat(answer.get("state")).isEqualTo(param(request, "state"));
        assertThat(answer.get("iss")).isEqualTo(ISSUER);
        assertThat(BrowserSession.setCookie(r, FLOW)).isEmpty();
        assertThat(FlowFixtures.grants(ds, client.id())).isZero();
    }

    @Test
    void promptNoneWithSessionButNoConsentThenConsentRequiredAtClient() {
        User user = FlowFixtures.user();
        Client thirdParty = FlowFixtures.publicClient(false);
        Client firstParty = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(firstParty, Pkce.fresh(), SCOPE));
        Map<String, List<String>> request = FlowFixtures.request(thirdParty, Pkce.fresh(), SCOPE);
        request.put("prompt", List.of("none"));

        Response r = browser.authorize(request);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(locationWithoutQuery(r)).isEqualTo(REDIRECT);
        Map<String, String> answer = locationQuery(r);
        assertThat(answer.get("error")).isEqualTo("consent_required");
        assertThat(answer.get("state")).isEqualTo(param(request, "state"));
        assertThat(answer.get("iss")).isEqualTo(ISSUER);
        assertThat(FlowFixtures.grants(ds, thirdParty.id())).isZero();
    }

    @Test
    void promptNoneWithSessionAndFirstPartyClientThenCodeSilently() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), SCOPE);
        request.put("prompt", List.of("none"));

        Response r = browser.authorize(request);

        FlowFixtures.codeOf(r, request);
    }

    @Test
    void promptLoginWithSessionThenLoginPageAgain() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), SCOPE);
        request.put("prompt", List.of("login"));

        Response r = browser.authorize(request);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(locationPath(r)).isEqualTo("/login");
        assertThat(BrowserSession.setCookie(r, FLOW)).isPresent();
        // signing in again completes the same request
        FlowFixtures.codeOf(browser.signIn(user.email(), PASSWORD), request);
    }

    @Test
    void maxAgeZeroWithEarlierSessionThenLoginPageAgain() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), SCOPE);
        request.put("max_age", List.of("0"));

        Response r = browser.authorize(request);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(locationPath(r)).isEqualTo("/login");
    }

    @Test
    void maxAgeLongerThanSessionAgeThenCodeWithoutLogin() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        Map<String, List<String>> request = FlowFixtures.request(client, Pkce.fresh(), SCOPE);
        request.put("max_age", List.of("3600"));

        FlowFixtures.codeOf(browser.authorize(request), request);
    }

    @Test
    void disabledUserWithSessionThenLoginPageInsteadOfCode() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(true);
        BrowserSession browser = new BrowserSession();
        FlowFixtures.signInForCode(browser, user, FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        FlowFixtures.setUserEnabled(user, false);
        long grantsBefore = FlowFixtures.grants(ds, client.id());

        Response r = browser.authorize(FlowFixtures.request(client, Pkce.fresh(), SCOPE));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(locationPath(r)).isEqualTo("/login");
        assertThat(FlowFixtures.grants(ds, client.id())).isEqualTo(grantsBefore);
    }

    @Test
    void consentPageListsRequestedScopesAndClientName() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        BrowserSession browser = new BrowserSession();
        browser.authorize(FlowFixtures.request(client, Pkce.fresh(), "openid email"));
        browser.signIn(user.email(), PASSWORD);

        Response page = browser.get("/consent");

        Document doc = BrowserSession.html(page);
        assertThat(doc.text()).contains("sign-in test client");
        List<String> items = doc.select("ul.scopes li").eachText();
        assertThat(items).hasSize(2);
        Element form = doc.selectFirst("form[action=/consent]");
        assertThat(form.select("button[name=decision][value=deny]")).hasSize(1);
    }

    @Test
    void loginPageWhenShownForAuthorizationRequestThenRefusesFraming() {
        Client client = FlowFixtures.publicClient(false);
        BrowserSession browser = new BrowserSession();
        browser.authorize(FlowFixtures.request(client, Pkce.fresh(), SCOPE));

        Response page = browser.get("/login");

        assertThat(page.statusCode()).isEqualTo(200);
        assertFramingRefused(page);
    }

    @Test
    void loginPageWhenShownWithoutAuthorizationRequestThenRefusesFraming() {
        Response page = new BrowserSession().get("/login");

        assertThat(page.statusCode()).isEqualTo(200);
        assertFramingRefused(page);
    }

    @Test
    void consentPageWhenShownThenRefusesFraming() {
        User user = FlowFixtures.user();
        Client client = FlowFixtures.publicClient(false);
        BrowserSession browser = new BrowserSession();
        browser.authorize(FlowFixtures.request(client, Pkce.fresh(), SCOPE));
        browser.signIn(user.email(), PASSWORD);

        Response page = browser.get("/consent");

        assertThat(page.statusCode()).isEqualTo(200);
        assertFramingRefused(page);
    }

    /** SPEC section 5: {@code Content-Security-Policy: frame-ancestors 'none'}, and X-Frame-Options for older browsers. */
    private static void assertFramingRefused(Response page) {
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).as("Content-Security-Policy; headers:%n%s", page.headers())
                .isNotNull().contains("frame-ancestors 'none'");
        assertThat(page.header("X-Frame-Options")).as("X-Frame-Options; headers:%n%s", page.headers())
                .isNotNull().isEqualToIgnoringCase("DENY");
    }
}
