package com.meltano.auth.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.restassured.RestAssured;
import io.restassured.response.Response;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Database;

/** A browser's trip through "Sign in with GitLab": our start, the stand-in's authorization endpoint, our callback. */
final class GitLabRoundTrip {

    /** The redirect GitLab would send the browser back with, before the browser follows it. */
    record AtGitLab(Response authorizeRedirect, String authorizeUrl, String callbackUrl) {
    }

    private GitLabRoundTrip() {
    }

    /** From {@code /login/gitlab} to the stand-in and back to (but not into) our callback. */
    static AtGitLab toGitLabAndBack(Browser browser) {
        Response begin = browser.get("/login/gitlab");
        assertThat(begin.statusCode()).as(begin.asString()).isEqualTo(303);
        Response start = browser.follow(begin);
        assertThat(start.statusCode()).as("quarkus-oidc sends the browser to GitLab: %s", start.asString()).isEqualTo(302);
        String authorizeUrl = start.header("Location");
        assertThat(authorizeUrl).startsWith(GitLabStandIn.issuer());
        Response atGitLab = openAtGitLab(authorizeUrl);
        return new AtGitLab(atGitLab, authorizeUrl, atGitLab.header("Location"));
    }

    /** The browser opens GitLab's authorization URL as given (already encoded); GitLab redirects back. */
    static Response openAtGitLab(String authorizeUrl) {
        Response r = RestAssured.given().urlEncodingEnabled(false).redirects().follow(false).get(authorizeUrl);
        assertThat(r.statusCode()).as("GitLab answers: %s", r.asString()).isEqualTo(302);
        return r;
    }

    /** The whole trip; returns our callback's answer. */
    static Response signIn(Browser browser) {
        AtGitLab trip = toGitLabAndBack(browser);
        return browser.get(pathAndQuery(trip.callbackUrl()));
    }

    /** The local account a GitLab identity ({@code sub}) is linked to, null when none. */
    static String linkedUser(DataSource ds, String sub) {
        List<Map<String, Object>> rows = Database.rows(ds, "select cast(user_id as text) as id from federated_identity where subject = ?", sub);
        return rows.isEmpty() ? null : (String) rows.get(0).get("id");
    }

    static Map<String, String> query(String url) {
        return Browser.query(url);
    }

    /** The redirect URI is built from the issuer, whose port is not the test server's: keep path and query. */
    static String pathAndQuery(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }
}
