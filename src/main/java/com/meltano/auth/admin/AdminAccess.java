package com.meltano.auth.admin;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.account.UserEntity;
import com.meltano.auth.account.UserRepository;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.ClientEntity;
import com.meltano.auth.oauth2.client.ClientRepository;
import com.meltano.auth.oauth2.grant.GrantEntity;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.oauth2.token.AccessTokenVerifier;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.Subject;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The three-part check of SPEC section 9: (a) a verified, unrevoked {@code at+jwt} of ours,
 * (b) the {@code admin} scope, (c) the subject's current right, read from the database rather than
 * from token claims, so that taking a right away takes effect at once.
 */
@ApplicationScoped
public class AdminAccess {

    public enum Outcome { ALLOWED, UNAUTHENTICATED, INSUFFICIENT_SCOPE, FORBIDDEN }

    public record Decision(Outcome outcome, String subject, String reason) {
    }

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    GrantRepository grants;

    @Inject
    ClientRepository clients;

    @Inject
    UserRepository users;

    @Inject
    RbacRepository rbac;

    public Decision decide(String bearerToken) {
        if (bearerToken == null) {
            return new Decision(Outcome.UNAUTHENTICATED, null, null);
        }
        AccessTokenVerifier.VerifiedToken token = verifier.verify(bearerToken);
        if (token == null) {
            return new Decision(Outcome.UNAUTHENTICATED, null, "a valid access token of this server is required");
        }
        if (!token.scopes().contains(Scopes.ADMIN)) {
            return new Decision(Outcome.INSUFFICIENT_SCOPE, token.subject(), "the token lacks the admin scope");
        }
        String holder = QuarkusTransaction.requiringNew().call(() -> currentRightHolder(token.grantId()));
        if (holder == null) {
            return new Decision(Outcome.FORBIDDEN, token.subject(), "the subject does not hold the admin right");
        }
        return new Decision(Outcome.ALLOWED, holder, null);
    }

    /**
     * Who the token's grant acts for, when it holds the admin right now: the client id of a
     * {@code client_credentials} grant, else the user id. The grant, not the token's {@code sub},
     * names the user: a pairwise client's token carries a pseudonym (SPEC section 12), and the
     * audit log records actors by their ids.
     */
    private String currentRightHolder(UUID grantId) {
        GrantEntity grant = grants.findById(grantId);
        if (grant == null) {
            return null;
        }
        ClientEntity client = clients.find(grant.clientId);
        if (client == null || !client.enabled || !client.adminApi) {
            return null;
        }
        if (grant.userId == null) {
            return rbac.authorities(Subject.CLIENT, client.clientId).holdsAdminRight() ? client.clientId : null;
        }
        return userHoldsAdminRight(grant.userId) ? grant.userId.toString() : null;
    }

    /**
     * Whether the user is enabled and holds the admin right now (SPEC section 9 (c)): the check of
     * every admin console request (SPEC section 11) and of a user's admin API token. Call inside a
     * transaction.
     */
    public boolean userHoldsAdminRight(UUID userId) {
        UserEntity user = users.findById(userId);
        return user != null && user.enabled && rbac.authorities(Subject.USER, user.id).holdsAdminRight();
    }
}
