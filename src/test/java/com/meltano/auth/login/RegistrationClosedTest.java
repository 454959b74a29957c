package com.meltano.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.support.LockedDown;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * {@code MELTANO_AUTH_REGISTRATION=closed} (SPEC section 3): no registration page, no registration
 * by POST, and the login page does not offer it; accounts made by an admin (and verified: the
 * profile, {@link LockedDown}, requires verified emails too) still sign in.
 */
@QuarkusTest
@TestProfile(LockedDown.class)
@QuarkusTestResource(PostgresTestResource.class)
class RegistrationClosedTest {

    @Test
    void registerPageWhenRegistrationClosedThenNotFound() {
        Response r = new Browser().get("/register");

        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void registerPostWhenRegistrationClosedThenNoUserCreated() {
        String email = Browser.uniqueEmail("closed");
        Browser browser = new Browser();
        // a valid flow and its csrf token, as a login page hands them out
        String csrf = browser.csrfOf("/login");

        Response r = browser.post("/register", Map.of("email", email, "password", Browser.PASSWORD, "csrf", csrf));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(browser.cookie(Browser.SESSION)).isNull();
        assertThat(Browser.usersWithEmail(email)).isEmpty();
    }

    @Test
    void loginPageWhenRegistrationClosedThenNoRegisterLink() {
        Client client = Browser.webClient(true);
        Browser browser = new Browser();
        Response authorize = browser.authorize(Browser.authorizeParams(client.id(), client.redirectUri(), "openid", "s",
                Browser.newVerifier()));

        Response login = browser.follow(authorize);

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(Browser.html(login).select("input[name=email]")).isNotEmpty();
        assertThat(Browser.html(login).select("a[href*=/register]")).isEmpty();
        assertThat(login.asString()).doesNotContain("/register");
    }

    @Test
    void signInWhenRegistrationClosedThenAdminCreatedAccountsStillWork() {
        Client client = Browser.webClient(true);
        String email = Browser.uniqueEmail("admin-made");
        Browser.patchUser(Browser.createUser(email, Browser.PASSWORD), Map.of("email_verified", true));

        Browser.SignIn signIn = new Browser().signIn(client.id(), client.redirectUri(), "openid", email, Browser.PASSWORD);

        assertThat(signIn.code()).isNotBlank();
    }
}
