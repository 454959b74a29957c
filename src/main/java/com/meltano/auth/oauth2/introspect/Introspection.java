package com.meltano.auth.oauth2.introspect;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.grant.UserGrant;
import com.meltano.auth.oauth2.token.AccessTokenVerifier;
import com.meltano.auth.oauth2.token.RefreshTokens;
import com.meltano.auth.pairwise.PairwiseSubjects;

/**
 * RFC 7662: {@code active:true} with the token's metadata only for a valid, unrevoked token of
 * ours; {@code active:false} and nothing else for anything else (section 2.2), so the answer leaks
 * nothing about why. {@code sub} is the one the token's client sees (public or pairwise, SPEC
 * section 12): an access token's own, a refresh token's computed from its grant.
 */
@ApplicationScoped
public class Introspection {

    @Inject
    AccessTokenVerifier accessTokens;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    GrantRepository grants;

    @Inject
    Issuer issuer;

    @Inject
    AuthConfig config;

    @Inject
    PairwiseSubjects subjects;

    static final Map<String, Object> INACTIVE = Map.of("active", false);

    @Transactional
    public Map<String, Object> introspect(String token, String hint) {
        if (token == null || token.isEmpty()) {
            return INACTIVE;
        }
        Map<String, Object> result = "refresh_token".equals(hint) ? refresh(token) : access(token);
        if (result == null) {
            result = "refresh_token".equals(hint) ? access(token) : refresh(token);
        }
        return result == null ? INACTIVE : result;
    }

    private Map<String, Object> access(String token) {
        AccessTokenVerifier.VerifiedToken t = accessTokens.verify(token);
        if (t == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        m.put("token_type", "Bearer");
        m.put("scope", Scopes.join(t.scopes()));
        m.put("client_id", t.clientId());
        m.put("sub", t.subject());
        m.put("aud", List.of(config.auth().audience()));
        m.put("iss", issuer.value());
        m.put("iat", t.issuedAt());
        m.put("exp", t.expiresAt());
        m.put("jti", t.jti());
        return m;
    }

    private Map<String, Object> refresh(String token) {
        RefreshTokens.Stored stored = refreshTokens.find(token);
        if (stored == null) {
            return null;
        }
        Instant now = Instant.now();
        UserGrant grant = stored.grant();
        if (stored.used() || stored.expired(now) || !grant.usable(now)) {
            return INACTIVE;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        m.put("token_type", "refresh_token");
        m.put("scope", Scopes.join(stored.scopes()));
        m.put("client_id", grant.clientId());
        m.put("sub", subjects.subjectFor(grant.clientId(), grant.userId()));
        m.put("iss", issuer.value());
        m.put("exp", stored.idleExpiresAt().getEpochSecond());
        return m;
    }
}
