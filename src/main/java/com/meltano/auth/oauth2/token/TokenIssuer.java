package com.meltano.auth.oauth2.token;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.keys.OwnTokens;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.oauth2.Scopes;

/**
 * Builds and signs access tokens (RFC 9068): header {@code typ: at+jwt}, {@code aud} always an
 * array, explicit {@code exp} from configuration, and the {@code jti} naming its grant (the part
 * before the dot) so that revoking the grant revokes the token without a row per token.
 */
@ApplicationScoped
public class TokenIssuer {

    public static final String ACCESS_TOKEN_TYP = OwnTokens.Kind.ACCESS_TOKEN.typ();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @Inject
    Issuer issuer;

    @Inject
    ObjectMapper json;

    public record IssuedToken(String token, String jti, long expiresIn) {
        @Override
        public String toString() {
            return "IssuedToken[" + jti + "]"; // never the token
        }
    }

    public IssuedToken issue(AccessTokenClaims c) {
        long now = Instant.now().getEpochSecond();
        long ttl = config.auth().accessTokenTtl().toSeconds();
        String jti = jti(c.grantId());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.value());
        claims.put("sub", c.subject());
        claims.put("aud", List.of(config.auth().audience()));
        claims.put("client_id", c.clientId());
        claims.put("scope", Scopes.join(c.scopes()));
        claims.put("iat", now);
        claims.put("exp", now + ttl);
        claims.put("jti", jti);
        if (c.authTime() != null) {
            claims.put("auth_time", c.authTime().getEpochSecond());
        }
        claims.put("roles", c.authorities().roles());
        claims.put("permissions", c.authorities().permissions());
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String token = keys.accessTokenKey().sign(ACCESS_TOKEN_TYP, payload);
        return new IssuedToken(token, jti, ttl);
    }

    /** {@code <grant id>.<128 random bits>}: unique per token, and it names the grant to check. */
    static String jti(UUID grantId) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return grantId + "." + B64URL.encodeToString(random);
    }

    /** The grant named by a {@code jti} of ours; null when it is not of that shape. */
    public static UUID grantOf(String jti) {
        if (jti == null) {
            return null;
        }
        int dot = jti.indexOf('.');
        if (dot != 36) {
            return null;
        }
        try {
            return UUID.fromString(jti.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
