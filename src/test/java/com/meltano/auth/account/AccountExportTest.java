package com.meltano.auth.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The GDPR export (SPEC section 9, GDPR article 15) lists what each owner keeps about the user:
 * the account, its linked identities, its grants (live and revoked) and its audit entries.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AccountExportTest {

    @Inject
    DataSource ds;

    @Test
    void exportWhenUserHasGrantsAndLinkedIdentityThenListsEachWithItsFields() {
        String email = "export-" + UUID.randomUUID() + "@example.com";
        Response created = Api.admin().body(Map.of("email", email)).post("/admin/api/users");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        UUID userId = UUID.fromString(created.jsonPath().getString("id"));
        String clientId = Api.createServiceClient(List.of(), false).get("client_id");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        UUID live = UUID.randomUUID();
        UUID revoked = UUID.randomUUID();
        execute("insert into oauth_grant (id, client_id, user_id, subject, scopes, created_at, expires_at) values (?, ?, ?, ?,"
                + " '{openid,email}', ?, ?)", live, clientId, userId, userId.toString(), Timestamp.from(now.minusSeconds(60)),
                Timestamp.from(now.plusSeconds(3600)));
        execute("insert into oauth_grant (id, client_id, user_id, subject, scopes, created_at, expires_at, revoked_at) values"
                + " (?, ?, ?, ?, '{openid}', ?, ?, ?)", revoked, clientId, userId, userId.toString(), Timestamp.from(now),
                Timestamp.from(now.plusSeconds(3600)), Timestamp.from(now));
        String sub = "gl-" + UUID.randomUUID();
        execute("insert into federated_identity (issuer, subject, user_id, email, username) values (?, ?, ?, ?, ?)",
                "https://gitlab.example.com", sub, userId, "gl-" + email, "gl.user");

        Response export = Api.admin().get("/admin/api/users/" + userId + "/export");

        assertThat(export.statusCode()).as(export.asString()).isEqualTo(200);
        assertThat(export.jsonPath().getString("user.id")).isEqualTo(userId.toString());
        assertThat(export.jsonPath().getList("user.linked_identities.subject")).containsExactly(sub);
        List<Map<String, Object>> grants = export.jsonPath().getList("grants");
        assertThat(grants).hasSize(2);
        assertThat(grants.get(0)).containsEntry("id", live.toString()).containsEntry("client_id", clientId)
                .containsEntry("scope", "openid email").containsEntry("revoked", false)
                .containsKeys("created_at", "expires_at").hasSize(6);
        assertThat(grants.get(1)).containsEntry("id", revoked.toString()).containsEntry("scope", "openid")
                .containsEntry("revoked", true);
        assertThat(Instant.parse((String) grants.get(0).get("expires_at"))).isEqualTo(now.plusSeconds(3600));
        List<Map<String, Object>> identities = export.jsonPath().getList("linked_identities");
        assertThat(identities).hasSize(1);
        assertThat(identities.get(0)).containsEntry("provider", "gitlab").containsEntry("issuer", "https://gitlab.example.com")
                .containsEntry("subject", sub).containsEntry("username", "gl.user").containsEntry("email", "gl-" + email)
                .containsKeys("linked_at", "last_login_at").hasSize(7);
        assertThat(export.jsonPath().getList("audit.action", String.class)).contains("user.created");
    }

    @Test
    void exportWhenNoGrantsOrIdentitiesThenEmptyLists() {
        Response created = Api.admin().body(Map.of("email", "export-empty-" + UUID.randomUUID() + "@example.com"))
                .post("/admin/api/users");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);

        Response export = Api.admin().get("/admin/api/users/" + created.jsonPath().getString("id") + "/export");

        assertThat(export.statusCode()).as(export.asString()).isEqualTo(200);
        assertThat(export.jsonPath().getList("grants")).isEmpty();
        assertThat(export.jsonPath().getList("linked_identities")).isEmpty();
    }

    private void execute(String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
