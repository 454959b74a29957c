package com.meltano.auth.oauth2.client;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.common.Sql;
import com.meltano.auth.common.SqlStatement;

/**
 * The only writer of {@code client}. A {@link ClientEntity} is a plain copy of a row: a change to
 * one is written by {@link #update}, in the caller's transaction.
 */
@ApplicationScoped
public class ClientRepository {

    private static final String COLUMNS = "client_id, name, secret_hash, token_endpoint_auth_method, redirect_uris,"
            + " post_logout_redirect_uris, grant_types, scopes, first_party, admin_api, enabled, created_at, updated_at,"
            + " subject_type, sector_identifier";

    @Inject
    Sql db;

    /** The client, or null when there is none. */
    public ClientEntity find(String clientId) {
        return db.query("select " + COLUMNS + " from client where client_id = ?1").bind(1, clientId)
                .first(ClientRepository::row).orElse(null);
    }

    public long count() {
        return ((Number) db.query("select count(*) from client").single()).longValue();
    }

    /** Keyset page ordered by client_id, after {@code after} (null: from the start). */
    public List<ClientEntity> page(String after, int limit) {
        if (after == null) {
            return db.query("select " + COLUMNS + " from client order by client_id limit ?1").bind(1, limit)
                    .list(ClientRepository::row);
        }
        return db.query("select " + COLUMNS + " from client where client_id > ?1 order by client_id limit ?2")
                .bind(1, after).bind(2, limit).list(ClientRepository::row);
    }

    public void insert(ClientEntity c) {
        db.query("insert into client (" + COLUMNS + ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")
                .bind(1, c.clientId).bind(2, c.name).bind(3, c.secretHash).bind(4, c.tokenEndpointAuthMethod)
                .bind(5, array(c.redirectUris)).bind(6, array(c.postLogoutRedirectUris)).bind(7, array(c.grantTypes))
                .bind(8, array(c.scopes)).bind(9, c.firstParty).bind(10, c.adminApi).bind(11, c.enabled)
                .bind(12, c.createdAt).bind(13, c.updatedAt).bind(14, c.subjectType).bind(15, c.sectorIdentifier).update();
    }

    /** Writes every column of {@code c} but its id and creation time to its row. */
    public void update(ClientEntity c) {
        db.query("update client set name = ?2, secret_hash = ?3, token_endpoint_auth_method = ?4, redirect_uris = ?5,"
                + " post_logout_redirect_uris = ?6, grant_types = ?7, scopes = ?8, first_party = ?9, admin_api = ?10,"
                + " enabled = ?11, updated_at = ?12, subject_type = ?13, sector_identifier = ?14 where client_id = ?1")
                .bind(1, c.clientId).bind(2, c.name).bind(3, c.secretHash).bind(4, c.tokenEndpointAuthMethod)
                .bind(5, array(c.redirectUris)).bind(6, array(c.postLogoutRedirectUris)).bind(7, array(c.grantTypes))
                .bind(8, array(c.scopes)).bind(9, c.firstParty).bind(10, c.adminApi).bind(11, c.enabled)
                .bind(12, c.updatedAt).bind(13, c.subjectType).bind(14, c.sectorIdentifier).update();
    }

    public void delete(ClientEntity c) {
        db.query("delete from client where client_id = ?1").bind(1, c.clientId).update();
    }

    private static String[] array(List<String> values) {
        return values == null ? new String[0] : values.toArray(String[]::new);
    }

    private static ClientEntity row(ResultSet rs) throws SQLException {
        ClientEntity c = new ClientEntity();
        c.clientId = rs.getString("client_id");
        c.name = rs.getString("name");
        c.secretHash = rs.getBytes("secret_hash");
        c.tokenEndpointAuthMethod = rs.getString("token_endpoint_auth_method");
        c.redirectUris = SqlStatement.strings(rs, "redirect_uris");
        c.postLogoutRedirectUris = SqlStatement.strings(rs, "post_logout_redirect_uris");
        c.grantTypes = SqlStatement.strings(rs, "grant_types");
        c.scopes = SqlStatement.strings(rs, "scopes");
        c.firstParty = rs.getBoolean("first_party");
        c.adminApi = rs.getBoolean("admin_api");
        c.enabled = rs.getBoolean("enabled");
        c.createdAt = SqlStatement.instant(rs, "created_at");
        c.updatedAt = SqlStatement.instant(rs, "updated_at");
        c.subjectType = rs.getString("subject_type");
        c.sectorIdentifier = rs.getString("sector_identifier");
        return c;
    }
}
