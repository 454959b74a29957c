package com.meltano.auth.oauth2.authorize;

import static com.meltano.auth.oauth2.authorize.FlowFixtures.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.oauth2.authorize.FlowFixtures.Client;
import com.meltano.auth.oauth2.authorize.FlowFixtures.Pkce;
import com.meltano.auth.oauth2.authorize.FlowFixtures.User;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Issue 9: tokens of a user's grant (code redemption, refresh) are counted in the grant's own
 * transaction, per (minute, client, user id, scope, grant type); the GDPR export lists them with
 * their count, and after erasure they keep only the pseudonymous user id (SPEC section 9).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class UserTokenAuditTest {

    private static final String SCOPE = "openid email offline_access";

    @Inject
    DataSource ds;

    @Test
    void userTokensWhenCodeRedeemedAndRefreshedTwiceThenCountedPerGrantTypeAndExported() {
        Client client = FlowFixtures.publicClient(true);
        User user = FlowFixtures.user();
        String refresh = signIn(client, user);
        for (int i = 0; i < 2; i++) {
            Response r = FlowFixtures.refresh(client, refresh, null);
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            refresh = r.jsonPath().getString("refresh_token");
        }

        assertThat(counted(user, client, "authorization_code")).isEqualTo(1);
        assertThat(counted(user, client, "refresh_token")).isEqualTo(2);
        Response export = Api.admin().get("/admin/api/users/" + user.id() + "/export");
        assertThat(export.statusCode()).as(export.asString()).isEqualTo(200);
        List<Map<String, Object>> issued = export.jsonPath().<Map<String, Object>>getList("audit").stream()
                .filter(e -> "token.issued".equals(e.get("action"))).toList();
        assertThat(issued).isNotEmpty().allSatisfy(e -> {
            assertThat(e.get("actor")).isEqualTo(user.id());
            assertThat(e.get("target")).isEqualTo(client.id());
        });
        assertThat(issued.stream().mapToLong(e -> ((Number) e.get("count")).longValue()).sum()).isEqualTo(3);
    }

    @Test
    void userTokensWhenUserErasedThenCountsKeepOnlyThePseudonymousId() {
        Client client = FlowFixtures.publicClient(true);
        User user = FlowFixtures.user();
        signIn(client, user);

        Response deleted = Api.admin().delete("/admin/api/users/" + user.id());
        assertThat(deleted.statusCode()).as(deleted.asString()).isEqualTo(204);

        List<Map<String, Object>> rows = Database.rows(ds, "select * from audit_token_issuance where client_id = ?", client.id());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("subject", user.id());
        assertThat(rows.get(0).values().toString()).doesNotContain(user.email()).doesNotContain("@");
        Response page = Api.admin().queryParam("limit", 100).get("/admin/api/audit");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains(user.id()).doesNotContain(user.email());
    }

    /** The user signs in to the client, which redeems the code; returns the refresh token. */
    private static String signIn(Client client, User user) {
        Pkce pkce = Pkce.fresh();
        String code = FlowFixtures.signInForCode(new BrowserSession(), user, FlowFixtures.request(client, pkce, SCOPE));
        Response tokens = FlowFixtures.exchange(client, code, REDIRECT, pkce.verifier());
        assertThat(tokens.statusCode()).as(tokens.asString()).isEqualTo(200);
        return tokens.jsonPath().getString("refresh_token");
    }

    private long counted(User user, Client client, String grantType) {
        return Database.count(ds, "select coalesce(sum(count), 0) from audit_token_issuance"
                + " where subject = ? and client_id = ? and grant_type = ?", user.id(), client.id(), grantType);
    }
}
