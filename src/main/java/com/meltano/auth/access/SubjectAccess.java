package com.meltano.auth.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.account.UserView;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.rbac.Subject;
import com.meltano.auth.rbac.WhoCan;

/**
 * Who can, for one named subject (SPEC section 11): finds the user by email or the client by id,
 * and explains with {@link WhoCan#explain} what it may do. The one place that says a disabled
 * subject may do nothing, whatever its roles allow, for the admin API, the console and the
 * command line alike.
 */
@ApplicationScoped
public class SubjectAccess {

    /** One subject and its explanation; {@code email} is null for a client. */
    public record Explained(Subject kind, String id, String email, boolean enabled, WhoCan.Explanation explanation) {

        /** Whether the subject may do what was asked: a disabled one gets no token, so never. */
        public boolean allowed() {
            return enabled && explanation.allowed();
        }

        /** How the subject is named to a person: its email, or its client id. */
        public String name() {
            return email != null ? email : id;
        }
    }

    @Inject
    UserViews users;

    @Inject
    ClientService clients;

    @Inject
    WhoCan whoCan;

    /** @throws ServiceException naming {@code user} when no user has this email */
    public Explained user(String email, String type, String resource) {
        UserView u = users.findByEmail(email).orElseThrow(() -> ServiceException.invalid("user", "no user has this email"));
        return new Explained(Subject.USER, u.id().toString(), u.email(), u.enabled(), whoCan.explain(Subject.USER, u.id(), type, resource));
    }

    /** @throws ServiceException naming {@code client} when no client has this id */
    public Explained client(String clientId, String type, String resource) {
        boolean enabled;
        try {
            enabled = clients.get(clientId).enabled();
        } catch (ServiceException notFound) {
            throw ServiceException.invalid("client", "no client has this id");
        }
        return new Explained(Subject.CLIENT, clientId, null, enabled, whoCan.explain(Subject.CLIENT, clientId, type, resource));
    }
}
