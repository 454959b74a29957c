package com.meltano.auth.oauth2.client;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered client. The secret is stored only as a keyed hash (see {@code SecretHashKey}). */
@Entity
@Table(name = "client")
public class ClientEntity {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(nullable = false)
    public String name;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(name = "token_endpoint_auth_method", nullable = false)
    public String tokenEndpointAuthMethod;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "redirect_uris", nullable = false, columnDefinition = "text[]")
    public List<String> redirectUris;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "post_logout_redirect_uris", nullable = false, columnDefinition = "text[]")
    public List<String> postLogoutRedirectUris;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "grant_types", nullable = false, columnDefinition = "text[]")
    public List<String> grantTypes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public List<String> scopes;

    @Column(name = "first_party", nullable = false)
    public boolean firstParty;

    @Column(name = "admin_api", nullable = false)
    public boolean adminApi;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** {@code public} or {@code pairwise} (SPEC section 12, {@link SubjectTypes}). */
    @Column(name = "subject_type", nullable = false)
    public String subjectType = SubjectTypes.PUBLIC;

    /** The resolved sector of a pairwise client (a host name); null exactly for a public one. */
    @Column(name = "sector_identifier")
    public String sectorIdentifier;

    @Override
    public String toString() {
        return "Client[" + clientId + "]"; // never the secret hash
    }
}
