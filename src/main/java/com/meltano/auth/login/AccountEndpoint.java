package com.meltano.auth.login;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.account.AccountService;
import com.meltano.auth.account.UserView;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ServiceException;

/** The account page (SPEC section 5) of the signed-in person: change the password, sign out. */
@Path("/account")
public class AccountEndpoint {

    @Inject
    Sessions sessions;

    @Inject
    AccountService accounts;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(LoginCookies.SESSION) String sessionCookie, @QueryParam("changed") String changed,
            @QueryParam("error") String error) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return LoginCookies.seeOther("/login").build();
        }
        UserView user = accounts.get(session.get().userId());
        return Response.ok(Pages.account(user.email(), user.hasPassword(), session.get().csrf(),
                changed == null ? null : "Your password was changed. Other sessions were signed out.",
                error == null ? null : "wrong".equals(error) ? "The current password is not right."
                        : "Choose a password of 8 to 128 characters that is not your email address.")).build();
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response changePassword(@CookieParam(LoginCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("current_password") String current, @FormParam("new_password") String next) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !OpaqueTokens.same(csrf, session.get().csrf())) {
            return LoginCookies.seeOther("/login").build();
        }
        try {
            boolean changed = accounts.changeOwnPassword(session.get().userId(), current, next, session.get().sid(),
                    session.get().authTime());
            return LoginCookies.seeOther(changed ? "/account?changed=1" : "/account?error=wrong").build();
        } catch (ServiceException e) {
            return LoginCookies.seeOther("/account?error=policy").build();
        }
    }
}
