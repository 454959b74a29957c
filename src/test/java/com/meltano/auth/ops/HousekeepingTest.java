package com.meltano.auth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC section 10: housekeeping asks each owner to delete its rows expired for longer than a day
 * (grants with their codes and refresh tokens, login flows, sessions), and leaves everything else.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class HousekeepingTest {

    @Inject
    DataSource ds;

    @Inject
    Housekeeping housekeeping;

    @Test
    void housekeepingWhenRowsExpiredLongerThanTheGraceThenEachOwnerDeletesThemAndFreshOnesStay() throws SQLException {
        Browser.Client client = Browser.webClient(true);
        UUID old = signedInUser(client, "housekeeping-old");
        UUID fresh = signedInUser(client, "housekeeping-fresh");
        for (String table : new String[] { "login_flow", "user_session", "oauth_grant" }) {
            update("update " + table + " set expires_at = now() - interval '2 days' where user_id = ?", old);
        }
        update("update login_flow set expires_at = now() - interval '2 hours' where user_id = ?", fresh);

        housekeeping.run();

        assertThat(rows("login_flow", old)).isZero();
        assertThat(rows("user_session", old)).isZero();
        assertThat(rows("oauth_grant", old)).isZero();
        assertThat(Database.count(ds, "select count(*) from refresh_token t join oauth_grant g on g.id = t.grant_id"
                + " where g.user_id = ?", old)).isZero();
        assertThat(rows("login_flow", fresh)).as("expired for less than the grace: kept to explain itself").isEqualTo(1);
        assertThat(rows("user_session", fresh)).isEqualTo(1);
        assertThat(rows("oauth_grant", fresh)).isEqualTo(1);
    }

    /** A user signed in once through the pages, with a code exchanged for tokens (a grant and a refresh token). */
    private UUID signedInUser(Browser.Client client, String label) {
        String email = Browser.uniqueEmail(label);
        UUID id = UUID.fromString(Browser.createUser(email, Browser.PASSWORD));
        Browser browser = new Browser();
        Browser.SignIn signIn = browser.signIn(client.id(), client.redirectUri(), "openid offline_access", email, Browser.PASSWORD);
        Browser.exchange(client, signIn);
        return id;
    }

    private long rows(String table, UUID user) {
        return Database.count(ds, "select count(*) from " + table + " where user_id = ?", user);
    }

    private void update(String sql, UUID user) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, user);
            assertThat(st.executeUpdate()).isPositive();
        }
    }
}
