package com.meltano.auth.oauth2.token;

import static com.meltano.auth.oauth2.token.TokenFixtures.basic;
import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.meltano.auth.login.Browser;
import com.meltano.auth.oauth2.token.TokenFixtures.Client;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.TestData;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Drives everything around client secrets and access tokens that could end up in a log: creating
 * a client, issuing tokens, failed and malformed authentications carrying the secret, oversized
 * bodies, a secret rotation. Returns every value that must never be logged (SPEC sections 1, 10).
 */
final class LeakProbe {

    private LeakProbe() {
    }

    static List<String> run() {
        List<String> secrets = new ArrayList<>(List.of(TestData.ADMIN_CLIENT_SECRET, TestData.ADMIN_PASSWORD, TestData.KEK));
        String adminToken = Api.adminToken();
        addToken(secrets, adminToken);

        Client c = TokenFixtures.serviceClient();
        secrets.add(c.secret());
        String serviceToken = Api.token(c.id(), c.secret(), null);
        addToken(secrets, serviceToken);
        given().formParam("grant_type", "client_credentials").formParam("client_id", c.id())
                .formParam("client_secret", c.secret()).post("/oauth2/token").then().statusCode(200);

        // failures that carry a secret in every place a careless log line could pick it up
        String typo = c.secret().substring(1) + "x";
        secrets.add(typo);
        given().header("Authorization", basic(c.id(), typo)).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        given().header("Authorization", TokenFixtures.basicRaw(":" + c.secret())).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        given().header("Authorization", "Bearer " + c.secret()).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        given().header("Authorization", basic(c.id(), c.secret())).formParam("grant_type", "client_credentials")
                .formParam("client_secret", c.secret()).post("/oauth2/token").then().statusCode(400);
        given().header("Authorization", basic(c.id(), c.secret())).formParam("grant_type", "client_credentials")
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("grant_type", "client_credentials", "client_id", c.id(),
                "client_secret", c.secret())).post("/oauth2/token").then().statusCode(400);
        given().header("Authorization", basic(c.id(), c.secret())).formParam("grant_type", "password")
                .formParam("username", TestData.ADMIN_EMAIL).formParam("password", TestData.ADMIN_PASSWORD)
                .post("/oauth2/token").then().statusCode(400);
        try {
            RawHttp.postForm(InetAddress.getByName("127.0.0.1"), RestAssured.port, "/oauth2/token", basic(c.id(), c.secret()),
                    "grant_type=client_credentials&client_secret=" + c.secret() + "&pad=" + "a".repeat(100 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // an admin call with a bearer token, a token without the admin scope, and a secret sent as a bearer token
        given().header("Authorization", "Bearer " + adminToken).get("/admin/api/clients/" + c.id()).then().statusCode(200);
        given().header("Authorization", "Bearer " + serviceToken).get("/admin/api/clients").then().statusCode(403);
        given().header("Authorization", "Bearer " + c.secret()).get("/admin/api/clients").then().statusCode(401);

        String rotated = Api.admin().post("/admin/api/clients/" + c.id() + "/secret").then().statusCode(201)
                .extract().path("client_secret");
        secrets.add(rotated);
        addToken(secrets, Api.token(c.id(), rotated, null));
        given().header("Authorization", basic(c.id(), c.secret())).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        browserSignIn(secrets);
        return secrets;
    }

    /** A person signs in through the pages: password, cookies, code, refresh and ID tokens must not be logged either. */
    private static void browserSignIn(List<String> secrets) {
        String email = "leak-probe-" + UUID.randomUUID() + "@example.com";
        Browser.createUser(email, Browser.PASSWORD);
        secrets.add(Browser.PASSWORD);
        Browser.Client web = Browser.webClient(true);
        secrets.add(web.secret());
        String wrong = "wrong-" + UUID.randomUUID();
        secrets.add(wrong);
        Browser attempt = new Browser();
        attempt.authorize(Browser.authorizeParams(web.id(), web.redirectUri(), "openid email", "s", null));
        attempt.post("/login", Map.of("email", email, "password", wrong, "csrf", attempt.csrfOf("/login")));

        Browser.SignIn signIn = new Browser().signIn(web.id(), web.redirectUri(), "openid email offline_access", email, Browser.PASSWORD);
        secrets.add(signIn.code());
        secrets.add(signIn.session());
        Browser.Tokens tokens = Browser.exchange(web, signIn);
        addToken(secrets, tokens.accessToken());
        addToken(secrets, tokens.idToken());
        secrets.add(tokens.refreshToken());
        Browser.Tokens refreshed = Browser.refreshed(web, tokens.refreshToken());
        addToken(secrets, refreshed.accessToken());
        secrets.add(refreshed.refreshToken());
        Browser.exchangeResponse(web, signIn.code(), web.redirectUri(), signIn.verifier()); // a replayed code
    }

    /** The full token and its signature part: neither may be logged. */
    private static void addToken(List<String> secrets, String token) {
        secrets.add(token);
        secrets.add(token.substring(token.lastIndexOf('.') + 1));
    }
}
