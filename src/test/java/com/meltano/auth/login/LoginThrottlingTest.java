package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Parallel;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.ThrottleBounds;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The login page's failures (SPEC section 5): the same answer for an unknown email and a wrong
 * password; repeated failures for an account from one address are throttled with the same generic
 * answer until the limit, then told to wait (never that the password is wrong), while the right
 * password from another address still signs in (SPEC section 4).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LoginThrottlingTest {

    private static final InetAddress HERE = address("127.0.0.1");
    private static final InetAddress ELSEWHERE = address("127.0.0.2"); // all of 127/8 is loopback on Linux

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

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
        assertThat(Browser.outcome(unknownAnswer.header("Location"))).isEqualTo("/login?failed=1");
        assertThat(Browser.outcome(wrongAnswer.header("Location"))).isEqualTo("/login?failed=1");
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

        assertThat(Browser.outcome(r.header("Location"))).isEqualTo("/login?failed=1");
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
        assertThat(Browser.outcome(r.header("Location"))).as("no flow behind the form: nothing checked").isEqualTo("/login?error=form");
        assertThat(browser.cookie(Browser.SESSION)).isNull();
    }

    @Test
    void loginWhenSixWrongPasswordsFromOneAddressThenRightPasswordToldToWaitThereButAcceptedFromAnother() {
        String email = Browser.uniqueEmail("throttled");
        Browser.createUser(email, Browser.PASSWORD);
        // one login flow (cookie + csrf), as a login page hands it out; flows are not tied to an address
        Browser page = new Browser();
        String csrf = page.csrfOf("/login");
        String flow = page.cookie(Browser.FLOW);
        for (int i = 0; i < 6; i++) {
            RawPost.Raw wrong = login(HERE, flow, csrf, email, "wrong-password-" + i);
            assertThat(wrong.status()).isEqualTo(303);
            assertThat(Browser.outcome(wrong.location())).isEqualTo("/login?failed=1");
        }

        RawPost.Raw fromHere = login(HERE, flow, csrf, email, Browser.PASSWORD);
        RawPost.Raw fromElsewhere = login(ELSEWHERE, flow, csrf, email, Browser.PASSWORD);

        assertThat(fromHere.status()).isEqualTo(303);
        assertThat(Browser.outcome(fromHere.location())).as("throttled: told to wait, not that the password is wrong")
                .matches("/login\\?wait=[1-9][0-9]*");
        assertThat(fromHere.setsSession()).isFalse();
        String message = Browser.html(page.get(Browser.outcome(fromHere.location()))).select("[role=alert]").text();
        assertThat(message).contains("Wait").contains("second").doesNotContain("not right");
        assertThat(fromElsewhere.status()).isEqualTo(303);
        assertThat(Browser.outcome(fromElsewhere.location()))
                .as("SPEC 4: a correct credential from another address is never refused").isEqualTo("/account");
        assertThat(fromElsewhere.setsSession()).isTrue();
    }

    @Test
    void loginWhenUnknownEmailGuessedRepeatedlyThenToldToWaitLikeAKnownOne() {
        String email = Browser.uniqueEmail("nobody-throttled");
        Browser page = new Browser();
        String csrf = page.csrfOf("/login");
        String flow = page.cookie(Browser.FLOW);
        for (int i = 0; i < 6; i++) {
            assertThat(Browser.outcome(login(HERE, flow, csrf, email, "guess-" + i).location())).isEqualTo("/login?failed=1");
        }

        RawPost.Raw next = login(HERE, flow, csrf, email, "guess-7");

        assertThat(Browser.outcome(next.location())).matches("/login\\?wait=[1-9][0-9]*");
    }

    /**
     * SPEC section 4: attempts in progress count. Thirty wrong passwords sent at once get exactly
     * what thirty sent one after another would: FREE_FAILURES (5) + 1 are checked, the rest are told
     * to wait without being checked; then even the right password from that address must wait.
     */
    @Test
    void loginWhenThirtyWrongPasswordsInParallelThenAtMostSixCheckedAndRightOneWaitsButAcceptedElsewhere() {
        String email = Browser.uniqueEmail("parallel");
        Browser.createUser(email, Browser.PASSWORD);
        Browser page = new Browser();
        String csrf = page.csrfOf("/login");
        String flow = page.cookie(Browser.FLOW);

        long start = System.nanoTime();
        List<RawPost.Raw> answers = Parallel.run(30, i -> login(HERE, flow, csrf, email, "parallel-wrong-" + i));
        double batch = (System.nanoTime() - start) / 1e9;
        RawPost.Raw fromHere = login(HERE, flow, csrf, email, Browser.PASSWORD);
        double rightAnswered = (System.nanoTime() - start) / 1e9;
        RawPost.Raw fromElsewhere = login(ELSEWHERE, flow, csrf, email, Browser.PASSWORD);

        long checked = answers.stream().filter(a -> "/login?failed=1".equals(Browser.outcome(a.location()))).count();
        long waited = answers.stream().filter(a -> Browser.outcome(a.location()).startsWith("/login?wait=")).count();
        assertThat(checked + waited).as("every answer is a failure or a wait").isEqualTo(30);
        assertThat(checked).as("wrong passwords actually checked within %.1f s (sequentially at most %d)", batch,
                ThrottleBounds.maxChecked(batch)).isBetween(1L, (long) ThrottleBounds.maxChecked(batch));
        assertThat(answers).noneMatch(RawPost.Raw::setsSession);
        if (rightAnswered < ThrottleBounds.surelyBlockedFor(checked)) {
            assertThat(Browser.outcome(fromHere.location())).as("the right password, while surely blocked")
                    .startsWith("/login?wait=");
            assertThat(fromHere.setsSession()).isFalse();
        }
        assertThat(Browser.outcome(fromElsewhere.location())).as("SPEC 4: never refused from another address")
                .isEqualTo("/account");
    }

    private static RawPost.Raw login(InetAddress source, String flowCookie, String csrf, String email, String password) {
        return RawPost.post(source, "/login", Browser.FLOW + "=" + flowCookie,
                Map.of("email", email, "password", password, "csrf", csrf));
    }
}
