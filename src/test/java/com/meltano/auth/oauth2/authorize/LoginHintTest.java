package com.meltano.auth.oauth2.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** OIDC Core 3.1.2.1 {@code login_hint}: the sign-in form comes prefilled, escaped, never required. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LoginHintTest {

    @Test
    void authorizeWhenLoginHintThenSignInFormPrefilledWithIt() {
        FlowFixtures.Client client = FlowFixtures.confidentialClient(true);
        Map<String, List<String>> request = FlowFixtures.request(client, FlowFixtures.Pkce.fresh(), "openid");
        request.put("login_hint", List.of("hinted.person@example.com"));
        BrowserSession browser = new BrowserSession();

        Response page = browser.follow(browser.authorize(request));

        assertThat(Jsoup.parse(page.asString()).selectFirst("input[name=email]").attr("value"))
                .isEqualTo("hinted.person@example.com");
    }

    @Test
    void authorizeWhenLoginHintCarriesMarkupThenRenderedAsTextOnly() {
        FlowFixtures.Client client = FlowFixtures.confidentialClient(true);
        Map<String, List<String>> request = FlowFixtures.request(client, FlowFixtures.Pkce.fresh(), "openid");
        request.put("login_hint", List.of("\"><script>alert(1)</script>"));
        BrowserSession browser = new BrowserSession();

        Response page = browser.follow(browser.authorize(request));

        assertThat(page.asString()).doesNotContain("<script>alert(1)</script>");
        assertThat(Jsoup.parse(page.asString()).selectFirst("input[name=email]").attr("value"))
                .isEqualTo("\"><script>alert(1)</script>");
    }

    @Test
    void authorizeWhenLoginHintAbsentThenEmailFieldEmpty() {
        FlowFixtures.Client client = FlowFixtures.confidentialClient(true);
        BrowserSession browser = new BrowserSession();

        Response page = browser.follow(browser.authorize(FlowFixtures.request(client, FlowFixtures.Pkce.fresh(), "openid")));

        assertThat(Jsoup.parse(page.asString()).selectFirst("input[name=email]").attr("value")).isEmpty();
    }
}
