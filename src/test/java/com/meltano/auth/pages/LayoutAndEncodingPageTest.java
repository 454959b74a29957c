package com.meltano.auth.pages;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.RelyingParty.App;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What every page owes a browser and a small screen (SPEC section 5): an icon, HTML declared as
 * UTF-8 (a client that trusts the header reads "·" right), and no horizontal scrolling in a
 * 390-pixel-wide window.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LayoutAndEncodingPageTest extends PageTest {

    private static final Pattern HTML_UTF8 = Pattern.compile("(?i)text/html\\s*;\\s*charset\\s*=\\s*\"?utf-8\"?");
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9_-]+)");

    @Test
    void faviconIsAnImage() {
        Response icon = given().redirects().follow(true).get("/favicon.ico");

        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.contentType()).as("an image type").startsWithIgnoringCase("image/");
        assertThat(icon.asByteArray()).isNotEmpty();
    }

    @Test
    void everyHtmlPageIsDeclaredUtf8AndItsTitleDecodesByTheHeader() {
        Person person = Person.create("charset");
        App thirdParty = rp.register("Charset App", false);
        Browser b = new Browser();
        Map<String, Response> pages = new LinkedHashMap<>();
        pages.put("sign-in", HttpForms.settle(b, b.get("/login")));
        pages.put("registration", HttpForms.settle(b, b.get("/register")));
        pages.put("error (unknown client)", b.get("/oauth2/authorize", Map.of("response_type", "code", "client_id", "no-such-client",
                "redirect_uri", "https://nowhere.example/cb", "state", "s")));
        pages.put("signed out", b.get("/logout"));
        HttpForms.post(b, pages.get("sign-in"), "/login", Map.of("email", person.email(), "password", Browser.PASSWORD));
        pages.put("consent", HttpForms.settle(b, b.authorize(Browser.authorizeParams(thirdParty.clientId(), thirdParty.redirectUri(),
                "openid email", newState(), Browser.newVerifier()))));
        pages.put("account", b.get("/account"));
        pages.put("sign-out confirmation", b.get("/logout", Map.of("client_id", thirdParty.clientId())));

        SoftAssertions soft = new SoftAssertions();
        pages.forEach((name, page) -> {
            soft.assertThat(page.header("Content-Type")).as("Content-Type of the %s page (%d)", name, page.statusCode())
                    .matches(HTML_UTF8);
            String title = titleAsDecodedByHeader(page);
            soft.assertThat(title).as("<title> of the %s page, decoded by the charset the header declares", name)
                    .contains(" · ").doesNotContain("Â");
        });
        soft.assertAll();
    }

    @Test
    void titleWithMiddleDotShowsRightInChromium() {
        chromium.open("/login");

        assertThat(driver().getTitle()).contains(" · ").doesNotContain("Â");
    }

    @Test
    void narrowWindowThenSignInRegistrationConsentAndAccountPagesNeedNoHorizontalScroll() {
        Person person = Person.create("narrow");
        App thirdParty = rp.register("Narrow Screen App With A Rather Long Registered Name", false);
        driver().manage().window().setSize(new Dimension(390, 844));
        SoftAssertions soft = new SoftAssertions();

        openSignInOf(thirdParty, newState());
        fits(soft, "sign-in");
        press(driver().findElement(By.cssSelector("a[href*='/register']")));
        fits(soft, "registration");
        chromium.screenshot(getClass().getSimpleName() + ".narrow-registration");
        openSignInOf(thirdParty, newState());
        signInWith(person.email(), Browser.PASSWORD);
        fits(soft, "consent");
        chromium.screenshot(getClass().getSimpleName() + ".narrow-consent");
        chromium.open("/account");
        fits(soft, "account");

        soft.assertAll();
    }

    // ------------------------------------------------------------------ helpers

    private static void fits(SoftAssertions soft, String name) {
        long innerWidth = ((Number) chromium.script("return window.innerWidth")).longValue();
        long scrollWidth = ((Number) chromium.script("return document.documentElement.scrollWidth")).longValue();
        assertThat(innerWidth).as("the window is narrow").isLessThanOrEqualTo(400);
        soft.assertThat(scrollWidth).as("scrollWidth of the %s page at %d px (%s)", name, innerWidth, driver().getCurrentUrl())
                .isLessThanOrEqualTo(innerWidth);
    }

    /**
     * The page's title as a client that believes the header decodes it: the declared charset, or
     * ISO-8859-1 when none is declared (the HTTP/1.1 default for text/* that Python's requests applies).
     */
    private static String titleAsDecodedByHeader(Response page) {
        String type = page.header("Content-Type");
        Matcher m = CHARSET.matcher(type == null ? "" : type);
        Charset charset = m.find() ? Charset.forName(m.group(1)) : StandardCharsets.ISO_8859_1;
        String html = new String(page.asByteArray(), charset);
        Matcher title = Pattern.compile("(?is)<title>(.*?)</title>").matcher(html);
        return title.find() ? title.group(1) : "";
    }
}
