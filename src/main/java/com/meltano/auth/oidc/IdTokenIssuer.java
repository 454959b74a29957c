package com.meltano.auth.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.account.UserEntity;
import com.meltano.auth.account.UserRepository;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.keys.OwnTokens;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.token.IdTokens;
import com.meltano.auth.pairwise.PairwiseSubjects;

/**
 * ID tokens (OIDC Core 2, 3.1.3.6): always RS256 (the algorithm every OIDC client must support),
 * {@code aud} the client, {@code nonce} from the request, {@code at_hash} binding the access token,
 * {@code sid} of the browser session, {@code sub} as the client sees the user (public or pairwise,
 * SPEC section 12); {@code email} claims only with the {@code email} scope. The
 * token endpoint's grants reach it through {@link IdTokens}, so {@code oauth2} does not depend on
 * {@code oidc}.
 */
@ApplicationScoped
public class IdTokenIssuer implements IdTokens {

    @Inject
    SigningKeys keys;

    @Inject
    Issuer issuer;

    @Inject
    AuthConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    UserRepository users;

    @Inject
    PairwiseSubjects subjects;

    /** OIDC Core 3.1.3.3: an ID token exactly when the grant holds {@code openid}. */
    @Override
    public String idTokenFor(IdTokens.Request r) {
        return r.scopes().contains(Scopes.OPENID) ? issue(r) : null;
    }

    String issue(IdTokens.Request r) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.value());
        claims.put("sub", subjects.subjectFor(r.clientId(), r.userId()));
        claims.put("aud", r.clientId());
        claims.put("azp", r.clientId());
        claims.put("iat", now);
        claims.put("exp", now + config.auth().accessTokenTtl().toSeconds());
        if (r.authTime() != null) {
            claims.put("auth_time", r.authTime().getEpochSecond());
        }
        if (r.nonce() != null) {
            claims.put("nonce", r.nonce());
        }
        if (r.accessToken() != null) {
            claims.put("at_hash", halfHash(r.accessToken()));
        }
        if (r.sid() != null) {
            claims.put("sid", r.sid());
        }
        if (r.scopes().contains(Scopes.EMAIL)) {
            UserEntity user = users.findById(r.userId());
            if (user != null) {
                claims.put("email", user.email);
                claims.put("email_verified", user.emailVerified);
            }
        }
        try {
            return keys.active(SigningAlgorithm.RS256).sign(OwnTokens.Kind.ID_TOKEN.typ(), json.writeValueAsBytes(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OIDC Core 3.1.3.6: base64url of the left half of SHA-256 of the token's ASCII. */
    static String halfHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
