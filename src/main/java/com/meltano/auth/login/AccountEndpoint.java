package com.meltano.auth.login;

import java.time.Instant;
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
import com.meltano.auth.account.LinkedIdentity;
import com.meltano.auth.account.UserView;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.throttle.Throttle;

import io.vertx.core.http.HttpServerRequest;

/** The account page (SPEC section 5) of the signed-in person: password, linked GitLab, sign out. */
@Path("/account")
public class AccountEndpoint {

    @Inject
    Sessions sessions;

    @Inject
    AccountService accounts;

    @Inject
    AuthConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(LoginCookies.SESSION) String sessionCookie, @QueryParam("changed") String changed,
            @QueryParam("gitlab") String gitlab, @QueryParam("error") String error, @QueryParam("wait") String wait) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return LoginCookies.seeOther("/login").build();
        }
        UserView user = accounts.get(session.get().userId());
        LinkedIdentity gitlabLink = user.linkedIdentities().stream().findFirst().orElse(null);
        String message = changed != null ? "Your password was changed. Other sessions were signed out."
                : "linked".equals(gitlab) ? "GitLab is linked to your account."
                : "unlinked".equals(gitlab) ? "GitLab is no longer linked to your account." : null;
        return Response.ok(Pages.account(user.email(), user.hasPassword(), session.get().csrf(), message,
                wait != null ? LoginEndpoint.waitMessage(wait) : errorMessage(error),
                config.auth().gitlabClientId().isPresent(), gitlabLink != null,
                gitlabLink == null ? null : gitlabLink.username())).build();
    }

    private static String errorMessage(String error) {
        if (error == null) {
            return null;
        }
        return switch (error) {
            case "wrong" -> "The current password is not right.";
            case "stale" -> "Sign in with GitLab again first: setting a password needs a GitLab sign-in from the last 5 minutes.";
            case "gitlab_taken" -> "That GitLab account is linked to another account here.";
            case "gitlab_other" -> "Another GitLab account is already linked; unlink it first.";
            case "gitlab_only" -> "GitLab is your only way to sign in: set a password before you unlink it.";
            default -> "Choose a password of 8 to 128 characters that is not your email address.";
        };
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response changePassword(@CookieParam(LoginCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("current_password") String current, @FormParam("new_password") String next, HttpServerRequest http) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !OpaqueTokens.same(csrf, session.get().csrf())) {
            return LoginCookies.seeOther("/login").build();
        }
        try {
            boolean recentGitLab = session.get().recentGitLabSignIn(AccountService.FRESH_SIGN_IN, Instant.now());
            boolean changed = accounts.changeOwnPassword(session.get().userId(), current, next, session.get().sid(), recentGitLab,
                    http.remoteAddress().hostAddress());
            if (!changed) {
                return LoginCookies.seeOther(accounts.get(session.get().userId()).hasPassword() ? "/account?error=wrong"
                        : "/account?error=stale").build();
            }
            return LoginCookies.seeOther("/account?changed=1").build();
        } catch (Throttle.Throttled t) {
            return LoginCookies.seeOther("/account?wait=" + t.retryAfterSeconds()).build();
        } catch (ServiceException e) {
            return LoginCookies.seeOther("/account?error=policy").build();
        }
    }
}
