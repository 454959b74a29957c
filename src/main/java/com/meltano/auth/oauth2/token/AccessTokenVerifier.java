package com.meltano.auth.oauth2.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.keys.OwnTokens;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.grant.GrantRepository;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * In-process verification of our own access tokens (the admin API, userinfo, introspection): the
 * shared check of {@link OwnTokens} ({@code typ} {@code at+jwt}, RFC 9068 section 4, and no
 * grace after {@code exp}), then {@code aud}, and the grant named by the {@code jti} still active
 * and the token not on the revocation list.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** A token that passed every check. */
    public record VerifiedToken(String subject, String clientId, Set<String> scopes, UUID grantId, String jti,
            long issuedAt, long expiresAt) {
    }

    @Inject
    OwnTokens ownTokens;

    @Inject
    GrantRepository grants;

    @Inject
    AuthConfig config;

    /** @return the verified token, or null when it is invalid, expired or revoked */
    public VerifiedToken verify(String token) {
        Optional<OwnTokens.Checked> checked = ownTokens.check(token, OwnTokens.Kind.ACCESS_TOKEN);
        if (checked.isEmpty() || checked.get().expired()) {
            return null;
        }
        JwtClaims claims = checked.get().claims();
        try {
            List<String> audience = claims.getAudience();
            if (audience == null || !audience.contains(config.auth().audience())) {
                return null;
            }
            String jti = claims.getJwtId();
            UUID grantId = TokenIssuer.grantOf(jti);
            if (grantId == null) {
                return null;
            }
            boolean active = QuarkusTransaction.joiningExisting().call(() -> grants.isTokenActive(grantId, jti, Instant.now()));
            if (!active) {
                return null;
            }
            String scope = claims.getClaimValueAsString("scope");
            Set<String> scopes = scope == null ? Set.of() : Scopes.parse(scope);
            return new VerifiedToken(claims.getSubject(), claims.getClaimValueAsString("client_id"), scopes, grantId, jti,
                    claims.getIssuedAt() == null ? 0 : claims.getIssuedAt().getValue(), claims.getExpirationTime().getValue());
        } catch (MalformedClaimException | IllegalArgumentException e) {
            return null;
        }
    }

}
