package com.meltano.auth.oauth2.token;

import java.security.Key;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.keys.SigningKey;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.grant.GrantRepository;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * In-process verification of our own access tokens (for the admin API; later userinfo and
 * introspection): signature against the in-memory key cache by {@code kid}, {@code alg} from an
 * allow-list (never {@code none}, never HMAC), {@code typ} {@code at+jwt} (RFC 9068 section 4),
 * {@code iss}, {@code aud}, {@code exp}, and the grant named by the {@code jti} still active.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** A token that passed every check. */
    public record VerifiedToken(String subject, String clientId, Set<String> scopes, UUID grantId, String jti,
            long issuedAt, long expiresAt) {
    }

    private final JwtConsumer consumer;

    @Inject
    GrantRepository grants;

    @Inject
    AccessTokenVerifier(SigningKeys keys, Issuer issuer, AuthConfig config) {
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer(true, issuer.value())
                .setExpectedAudience(true, config.auth().audience())
                .setExpectedType(true, TokenIssuer.ACCESS_TOKEN_TYP) // jose4j also accepts "application/at+jwt"
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256", "ES256", "EdDSA")
                .setVerificationKeyResolver((jws, nesting) -> {
                    String kid = jws.getKeyIdHeaderValue();
                    SigningKey key = kid == null ? null : keys.byKid(kid).orElse(null);
                    if (key == null || !key.alg().jwsName().equals(jws.getAlgorithmHeaderValue())) {
                        throw new UnresolvableKeyException("unknown key");
                    }
                    Key publicKey = key.publicKey();
                    return publicKey;
                })
                .build();
    }

    /** @return the verified token, or null when it is invalid, expired or revoked */
    public VerifiedToken verify(String token) {
        if (token == null || token.length() > 64 * 1024) {
            return null;
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            return null;
        }
        try {
            UUID grantId = TokenIssuer.grantOf(claims.getJwtId());
            if (grantId == null) {
                return null;
            }
            String jti = claims.getJwtId();
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
