package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The login page's failures (SPEC section 5): the same answer for an unknown email and a wrong
 * password; repeated failures for an account from one address are throttled with the same generic
 * answer, while the right password from another address still signs in (SPEC section 4).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LoginThrottlingTest {

    @Test
    void loginWhenUnknownEmailOrWrongPasswordThenSameRedirectAndSameMessage() {
        String email = Browser.uniqueEmail("known");
        Browser.createUser(email, Browser.PASSWORD);

        Browser unknown = new Browser();
        Response unknownAnswer = unknown.post("/login", Map.of("email", Browser.uniqueEmail("nobody"),
                "password", Browser.PASSWORD, "csrf", unknown.csrfOf("/login")));
        Browser wrong = new Browser();
        Response wrongAnswer = wrong.post("/login", Map.of("email", email, "password", "not-the-password",
                "csrf", wrong.csrfOf("/login")));

        assertThat(unknownAnswer.statusCode()).isEqualTo(303);
        assertThat(wrongAnswer.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPath(unknownAnswer.header("Location"))).isEqualTo("/login?failed=1");
        assertThat(Browser.ourPath(wrongAnswer.header("Location"))).isEqualTo("/login?failed=1");
        assertThat(unknown.cookie(Browser.SESSION)).isNull();
        assertThat(wrong.cookie(Browser.SESSION)).isNull();
        String unknownMessage = Browser.html(unknown.follow(unknownAnswer)).select("[role=alert]").text();
        String wrongMessage = Browser.html(wrong.follow(wrongAnswer)).select("[role=alert]").text();
        assertThat(unknownMessage).isNotBlank().isEqualTo(wrongMessage);
    }

    @Test
    void loginWhenDisabledAccountWithRightPasswordThenSameGenericFailure() {
        String email = Browser.uniqueEmail("disabled");
        String id = Browser.createUser(email, Browser.PASSWORD);
        Browser.patchUser(id, Map.of("enabled", false));
        Browser browser = new Browser();

        Response r = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", browser.csrfOf("/login")));

        assertThat(Browser.ourPath(r.header("Location"))).isEqualTo("/login?failed=1");
        assertThat(browser.cookie(Browser.SESSION)).isNull();
    }

    @Test
    void loginWhenCsrfForgedThenFailureAndNoSession() {
        String email = Browser.uniqueEmail("logincsrf");
        Browser.createUser(email, Browser.PASSWORD);
        Browser browser = new Browser();
        browser.csrfOf("/login");

        Response r = browser.post("/login", Map.of("email", email, "password", Browser.PASSWORD, "csrf", "forged"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(Browser.ourPath(r.header("Location"))).isEqualTo("/login?failed=1");
        assertThat(browser.cookie(Browser.SESSION)).isNull();
    }

    @Test
    void loginWhenSixWrongPasswordsFromOneAddressThenRightPasswordRefusedThereButAcceptedFromAnother() throws Exception {
        String email = Browser.uniqueEmail("throttled");
        Browser.createUser(email, Browser.PASSWORD);
        InetAddress here = InetAddress.getByName("127.0.0.1");
        InetAddress elsewhere = InetAddress.getByName("127.0.0.2"); // all of 127/8 is loopback on Linux
        // one login flow (cookie + csrf), as a login page hands it out; flows are not tied to an address
        Browser page = new Browser();
        String csrf = page.csrfOf("/login");
        String flow = page.cookie(Browser.FLOW);
        for (int i = 0; i < 6; i++) {
            Raw wrong = postLogin(here, flow, csrf, email, "wrong-password-" + i);
            assertThat(wrong.status).isEqualTo(303);
            assertThat(Browser.ourPath(wrong.location)).isEqualTo("/login?failed=1");
        }

        Raw fromHere = postLogin(here, flow, csrf, email, Browser.PASSWORD);
        Raw fromElsewhere = postLogin(elsewhere, flow, csrf, email, Browser.PASSWORD);

        assertThat(fromHere.status).isEqualTo(303);
        assertThat(Browser.ourPath(fromHere.location)).as("throttled: the same generic failure").isEqualTo("/login?failed=1");
        assertThat(fromHere.setsSession).isFalse();
        assertThat(fromElsewhere.status).isEqualTo(303);
        assertThat(Browser.ourPath(fromElsewhere.location))
                .as("SPEC 4: a correct credential from another address is never refused").isEqualTo("/account");
        assertThat(fromElsewhere.setsSession).isTrue();
    }

    // ------------------------------------------------------------------ a POST from a chosen source address

    private record Raw(int status, String location, boolean setsSession) {
    }

    /** POST /login from {@code source} with the flow cookie, over a plain socket (RestAssured cannot bind). */
    private static Raw postLogin(InetAddress source, String flowCookie, String csrf, String email, String password) throws IOException {
        StringJoiner form = new StringJoiner("&");
        Map.of("email", email, "password", password, "csrf", csrf).forEach((k, v) ->
                form.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST /login HTTP/1.1\r\n"
                + "Host: localhost:" + RestAssured.port + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Cookie: " + Browser.FLOW + "=" + flowCookie + "\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), RestAssured.port), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                all.write(buffer, 0, n);
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String location = null;
            boolean session = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).trim();
                String value = lines[i].substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Location")) {
                    location = value;
                } else if (name.equalsIgnoreCase("Set-Cookie") && value.startsWith(Browser.SESSION + "=")
                        && !value.startsWith(Browser.SESSION + "=;")) {
                    session = true;
                }
            }
            return new Raw(status, location, session);
        }
    }
}
