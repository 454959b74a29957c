package com.meltano.auth.oauth2.grant;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A grant (SPEC section 4): what a subject allowed a client, and the one place revocation acts on.
 * Every token names its grant; a revoked or deleted grant invalidates all of them.
 */
@Entity
@Table(name = "oauth_grant")
public class GrantEntity {

    @Id
    public UUID id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    /** Set for grants of a user; null for a client acting for itself. */
    @Column(name = "user_id")
    public UUID userId;

    @Column(nullable = false)
    public String subject;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public List<String> scopes;

    @Column(name = "session_id")
    public String sessionId;

    @Column(name = "auth_time")
    public Instant authTime;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Granted {@code offline_access}: its refresh tokens survive the end of the browser session. */
    @Column(nullable = false)
    public boolean offline;
}
