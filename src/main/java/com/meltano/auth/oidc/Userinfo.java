package com.meltano.auth.oidc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.account.UserEntity;
import com.meltano.auth.account.UserRepository;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.grant.GrantEntity;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.token.AccessTokenVerifier;
import com.meltano.auth.pairwise.PairwiseSubjects;

/**
 * OIDC Core 5.3 userinfo: claims about the user of a valid access token that carries
 * {@code openid}; {@code sub} as the token's client sees the user (public or pairwise, SPEC section
 * 12), found through the token's grant; {@code email} and {@code email_verified} only with the
 * {@code email} scope.
 */
@ApplicationScoped
public class Userinfo {

    public enum Failure { INVALID_TOKEN, INSUFFICIENT_SCOPE }

    public record Result(Map<String, Object> claims, Failure failure) {
    }

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    GrantRepository grants;

    @Inject
    UserRepository users;

    @Inject
    PairwiseSubjects subjects;

    @Transactional
    public Result claims(String token) {
        AccessTokenVerifier.VerifiedToken t = verifier.verify(token);
        if (t == null) {
            return new Result(null, Failure.INVALID_TOKEN);
        }
        if (!t.scopes().contains(Scopes.OPENID)) {
            return new Result(null, Failure.INSUFFICIENT_SCOPE);
        }
        GrantEntity grant = grants.findById(t.grantId());
        Optional<UserEntity> user = Optional.ofNullable(grant).map(g -> g.userId)
                .map(id -> users.findById(id)).filter(u -> u.enabled);
        if (user.isEmpty()) {
            return new Result(null, Failure.INVALID_TOKEN);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subjects.subjectFor(grant.clientId, user.get().id));
        if (t.scopes().contains(Scopes.EMAIL)) {
            claims.put("email", user.get().email);
            claims.put("email_verified", user.get().emailVerified);
        }
        return new Result(claims, null);
    }
}
