package com.meltano.auth.admin;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.account.NewUsers;
import com.meltano.auth.account.PasswordReset;
import com.meltano.auth.account.UserView;
import com.meltano.auth.common.ServiceException;

/**
 * An admin creates a user (SPEC sections 9, 11 and 12), from the REST API or the console alike:
 * with a password (or none), or invited by mail to choose one ({@link PasswordReset#invite}),
 * never both: an invited user's first password is theirs alone.
 */
@ApplicationScoped
public class UserCreation {

    @Inject
    NewUsers newUsers;

    @Inject
    PasswordReset passwordReset;

    /**
     * @param password null for none
     * @throws ServiceException {@code password} when given with {@code invite}; {@code invite} when mail is off;
     *     and whatever creating the user refuses
     */
    public UserView create(String actor, String email, String password, Collection<String> roles, boolean invite) {
        if (!invite) {
            return newUsers.create(actor, email, password, roles);
        }
        if (password != null) {
            throw ServiceException.invalid("password", "must be left out when inviting by mail: the user chooses it through the link");
        }
        return passwordReset.invite(actor, email, roles);
    }
}
