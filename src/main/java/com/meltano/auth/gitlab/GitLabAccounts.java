package com.meltano.auth.gitlab;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.account.Email;
import com.meltano.auth.account.LinkedIdentities;
import com.meltano.auth.account.NewUsers;
import com.meltano.auth.account.UserEntity;
import com.meltano.auth.account.UserRepository;
import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;

/**
 * Identity linking of SPEC section 5a. A GitLab identity is found by (issuer, sub) only. Without a
 * link, a new account is created when no local account has the email; when one has, nothing is
 * linked or created (whoever controls that email at GitLab could otherwise take the account over):
 * the owner links GitLab from the account page instead.
 */
@ApplicationScoped
public class GitLabAccounts {

    /** The outcome of a GitLab sign-in. */
    public sealed interface SignIn {
        record SignedIn(UUID userId, boolean created) implements SignIn {
        }

        /** A local account has the GitLab account's email; nothing was linked or created. */
        record EmailTaken() implements SignIn {
        }

        record Disabled() implements SignIn {
        }

        /** GitLab shared no usable email address, so no account can be created. */
        record NoEmail() implements SignIn {
        }
    }

    /** The outcome of linking GitLab from the account page. */
    public enum Link { LINKED, ALREADY_LINKED, LINKED_TO_ANOTHER_ACCOUNT, ACCOUNT_HAS_ANOTHER_GITLAB }

    @Inject
    LinkedIdentities identities;

    @Inject
    GroupRoleMapping mapping;

    @Inject
    NewUsers newUsers;

    @Inject
    UserRepository users;

    @Inject
    Event<AuditEvent> audit;

    @Transactional
    public SignIn signIn(GitLabIdentity identity) {
        Optional<UUID> linked = identities.userOf(identity.issuer(), identity.subject());
        if (linked.isPresent()) {
            UserEntity user = users.findById(linked.get());
            if (user == null || !user.enabled) {
                return new SignIn.Disabled();
            }
            identities.touch(said(identity));
            mapping.apply(user.id, identity.groupsDirect());
            audit.fire(AuditEvent.of(user.id.toString(), "gitlab.login", user.id.toString()));
            return new SignIn.SignedIn(user.id, false);
        }
        Email email;
        try {
            email = Email.parse(identity.email());
        } catch (IllegalArgumentException | NullPointerException e) {
            return new SignIn.NoEmail();
        }
        Optional<UserEntity> owner = users.findByEmail(email);
        if (owner.isPresent()) {
            audit.fire(AuditEvent.of("gitlab:" + identity.subject(), "gitlab.link_refused", owner.get().id.toString(),
                    Map.of("reason", "a local account has the GitLab account's email")));
            return new SignIn.EmailTaken();
        }
        // a concurrent first sign-in of the same identity fails here on the unique email (a conflict
        // ServiceException, the transaction rolled back) or, failing that, on the identity's key
        UUID userId = newUsers.federated(email, identity.emailVerified());
        if (!identities.link(userId, said(identity))) {
            throw ServiceException.conflict("gitlab", "the GitLab identity was linked concurrently");
        }
        mapping.apply(userId, identity.groupsDirect());
        audit.fire(AuditEvent.of(userId.toString(), "gitlab.account_created", userId.toString()));
        audit.fire(AuditEvent.of(userId.toString(), "gitlab.linked", userId.toString()));
        return new SignIn.SignedIn(userId, true);
    }

    /** Links GitLab to the signed-in account {@code userId} (after re-authentication on the account page). */
    @Transactional
    public Link link(UUID userId, GitLabIdentity identity) {
        Optional<UUID> owner = identities.userOf(identity.issuer(), identity.subject());
        if (owner.isPresent()) {
            if (owner.get().equals(userId)) {
                return Link.ALREADY_LINKED;
            }
            audit.fire(AuditEvent.of(userId.toString(), "gitlab.link_refused", userId.toString(),
                    Map.of("reason", "the GitLab account is linked to another account")));
            return Link.LINKED_TO_ANOTHER_ACCOUNT;
        }
        if (identities.hasAny(userId)) {
            return Link.ACCOUNT_HAS_ANOTHER_GITLAB;
        }
        if (!identities.link(userId, said(identity))) {
            return Link.LINKED_TO_ANOTHER_ACCOUNT;
        }
        mapping.apply(userId, identity.groupsDirect());
        audit.fire(AuditEvent.of(userId.toString(), "gitlab.linked", userId.toString()));
        return Link.LINKED;
    }

    /**
     * Unlinks GitLab; refused (false) when it is the account's only way to sign in. Roles that the
     * group mapping granted go with it.
     */
    @Transactional
    public boolean unlink(UUID userId) {
        UserEntity user = users.findById(userId);
        if (user == null || user.passwordHash == null) {
            return false;
        }
        if (identities.unlinkAll(userId) > 0) {
            mapping.apply(userId, List.of());
            audit.fire(AuditEvent.of(userId.toString(), "gitlab.unlinked", userId.toString()));
        }
        return true;
    }

    private static LinkedIdentities.ProviderIdentity said(GitLabIdentity identity) {
        return new LinkedIdentities.ProviderIdentity(identity.issuer(), identity.subject(), identity.email(), identity.username());
    }
}
