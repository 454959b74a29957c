package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import com.meltano.auth.login.Browser;
import com.meltano.auth.pages.RelyingParty.App;

/**
 * What every page test shares: one Chromium for the classes of a test profile
 * ({@link Chromium#shared()}), one relying party per test class, a browser with no cookies at the start of each test, a
 * screenshot of the last page of each test in
 * {@code target/page-screens/<class>.<test>.png}, and the gestures of a person: open the
 * application's sign-in link, type into a field found by its name, press a form's button.
 */
public abstract class PageTest {

    protected static Chromium chromium;
    protected static RelyingParty rp;

    @BeforeAll
    protected static void startBrowser() {
        rp = RelyingParty.start();
        chromium = Chromium.shared();
    }

    @AfterAll
    protected static void stopBrowser() {
        if (rp != null) {
            rp.close();
            rp = null;
        }
    }

    @BeforeEach
    protected void freshBrowser() {
        chromium.forgetEverything();
    }

    @AfterEach
    protected void lastPage(TestInfo info) {
        chromium.screenshot(getClass().getSimpleName() + "." + info.getTestMethod().map(m -> m.getName()).orElse("test"));
    }

    protected static WebDriver driver() {
        return chromium.driver();
    }

    /** A person with an account (created over the admin API) and the default test password. */
    protected record Person(String email, String id) {
        public static Person create(String label) {
            String email = Browser.uniqueEmail(label);
            return new Person(email, Browser.createUser(email, Browser.PASSWORD));
        }
    }

    /**
     * Gives the browser a session made elsewhere (an HTTP-client sign-in, e.g. through the GitLab
     * stand-in, whose redirect URI names the issuer's port rather than the test server's).
     */
    protected static void useSession(String sessionCookie) {
        chromium.open("/login");
        driver().manage().addCookie(new org.openqa.selenium.Cookie.Builder(Browser.SESSION, sessionCookie)
                .path("/").isHttpOnly(true).sameSite("Lax").build());
    }

    /** Opens the application's sign-in link: an authorization request with PKCE and this state. */
    protected static void openSignInOf(App app, String state) {
        Map<String, String> params = Browser.authorizeParams(app.clientId(), app.redirectUri(), "openid email profile", state,
                Browser.newVerifier());
        String query = params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        chromium.open("/oauth2/authorize?" + query);
    }

    protected static String newState() {
        return "st-" + UUID.randomUUID();
    }

    protected static WebElement field(String name) {
        return driver().findElement(By.name(name));
    }

    protected static boolean hasField(String name) {
        return !driver().findElements(By.name(name)).isEmpty();
    }

    /** Clears the field and types the value, key by key, as a person (or a paste) does. */
    protected static void type(String name, String value) {
        WebElement f = field(name);
        f.clear();
        f.sendKeys(value);
    }

    /** Presses the submit button of the form holding this field and waits for the next page. */
    protected static void submitFormOf(String fieldName) {
        WebElement form = field(fieldName).findElement(By.xpath("./ancestor::form"));
        press(form.findElement(By.cssSelector("button[type=submit], input[type=submit], button:not([type])")));
    }

    /**
     * Presses the submit button of the form holding this field, as {@link #submitFormOf}, but
     * returns false instead of waiting when the browser itself refuses to send the form (HTML
     * constraint validation: {@code type=email}, {@code minlength}, {@code required}).
     */
    protected static boolean trySubmitFormOf(String fieldName) {
        WebElement form = field(fieldName).findElement(By.xpath("./ancestor::form"));
        if (!Boolean.TRUE.equals(chromium.script("return arguments[0].checkValidity()", form))) {
            form.findElement(By.cssSelector("button[type=submit], input[type=submit], button:not([type])")).click();
            return false;
        }
        submitFormOf(fieldName);
        return true;
    }

    /** The browser's own complaint about a field it refuses to send (empty when it has none). */
    protected static String validationMessage(String fieldName) {
        Object m = chromium.script("return arguments[0].validationMessage", field(fieldName));
        return m == null ? "" : m.toString();
    }

    /** Clicks a button or link and waits until the page it was on has been replaced. */
    protected static void press(WebElement element) {
        WebElement html = driver().findElement(By.tagName("html"));
        element.click();
        chromium.waitForNewPage(html);
    }

    /** Types the email and password into the sign-in form and submits it. */
    protected static void signInWith(String email, String password) {
        type("email", email);
        type("password", password);
        submitFormOf("password");
    }

    /** Waits until the browser is at the application's redirect URI; returns the query it carries. */
    protected static Map<String, String> arrivalAt(App app) {
        try {
            chromium.waiting().until(d -> d.getCurrentUrl().startsWith(app.redirectUri()));
        } catch (TimeoutException e) {
            throw new AssertionError("the browser did not come back to " + app.name() + " (" + app.redirectUri() + "); it is at "
                    + driver().getCurrentUrl() + " showing:\n" + chromium.text(), e);
        }
        return Browser.query(driver().getCurrentUrl());
    }

    /** The texts of the elements that {@code aria-describedby} of this element points at. */
    protected static String describedBy(WebElement element) {
        String ids = element.getAttribute("aria-describedby");
        if (ids == null || ids.isBlank()) {
            return "";
        }
        List<String> texts = new ArrayList<>();
        for (String id : ids.trim().split("\\s+")) {
            driver().findElements(By.id(id)).forEach(e -> texts.add(e.getText()));
        }
        return String.join(" ", texts);
    }

    protected static boolean invalid(WebElement element) {
        return "true".equals(element.getAttribute("aria-invalid"));
    }

    protected static String page() {
        return chromium.text();
    }

    /** Where the browser is and what it shows, for assertion messages. */
    protected static String shown() {
        return driver().getCurrentUrl() + " showing:\n" + chromium.text();
    }

    protected static void assertNamesApp(App app) {
        assertThat(page()).as("the page names the application by its name: %s", shown()).contains(app.name());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
