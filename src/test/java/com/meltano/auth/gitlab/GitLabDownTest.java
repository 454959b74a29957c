package com.meltano.auth.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.PeersUnreachable;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** GitLab configured but unreachable: a plain page, nothing created, the password login still works. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(PeersUnreachable.class)
class GitLabDownTest {

    @Test
    void gitlabUnreachableThenPlainErrorPage() {
        Browser browser = new Browser();
        Response r = browser.get("/login/gitlab");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(Browser.html(r).text()).contains("GitLab is not reachable").doesNotContain("Exception");
        assertThat(Browser.html(r).select("a[href=/login]")).hasSize(1);
        assertThat(browser.cookie(Browser.SESSION)).isNull();
        assertThat(browser.get("/login").statusCode()).as("the sign-in page still works").isEqualTo(200);
    }
}
