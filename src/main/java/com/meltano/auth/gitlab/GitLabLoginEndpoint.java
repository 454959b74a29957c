package com.meltano.auth.gitlab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.login.SignIns;
import com.meltano.auth.oauth2.authorize.FlowState;
import com.meltano.auth.oauth2.authorize.LoginFlow;
import com.meltano.auth.oauth2.authorize.LoginFlows;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;
import com.meltano.auth.web.PageHeaders;

import io.quarkus.oidc.IdToken;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerResponse;

/**
 * "Sign in with GitLab" (SPEC section 5a). {@code GET /login/gitlab} records in the login flow that a
 * GitLab round trip is expected, then sends the browser to {@code /login/gitlab/start}, where
 * quarkus-oidc redirects to GitLab; GitLab answers at {@code /login/gitlab/callback}, where
 * quarkus-oidc has already verified the ID token when this class runs. The flow's expectation is
 * taken once, so a replayed callback creates nothing; quarkus-oidc's own session cookie is dropped at once.
 */
@Path(GitLabSettings.LOGIN_PATH)
public class GitLabLoginEndpoint {

    private static final String OIDC_SESSION_COOKIE = "q_session_" + GitLabTenant.TENANT_ID;

    @Inject
    GitLabSettings settings;

    @Inject
    GitLabAccounts accounts;

    @Inject
    GitLabReachability reachability;

    @Inject
    LoginFlows flows;

    @Inject
    Sessions sessions;

    @Inject
    BrowserCookies cookies;

    @Inject
    SignIns signIns;

    @Inject
    @IdToken
    JsonWebToken idToken;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response begin(@QueryParam("flow") String flowId, @CookieParam(BrowserCookies.FLOW) String binding) {
        if (!settings.enabled()) {
            return GitLabErrors.page(Response.Status.NOT_FOUND, "GitLab sign-in is not available",
                    "This server is not connected to GitLab. Sign in with your email and password.");
        }
        if (!reachability.reachable()) {
            return GitLabErrors.unreachablePage();
        }
        // the flow of the sign-in page that linked here (a bare link: the browser's newest sign-in for an
        // application, as a bare /login shows); without one, a sign-in to the account page
        String browser = BrowserCookies.bindingOrNew(binding);
        LoginFlow flow = (flowId == null ? flows.latestOpen(browser, FlowState.AWAITING_LOGIN) : flows.find(flowId, browser))
                .filter(f -> f.state() == FlowState.AWAITING_LOGIN)
                .orElseGet(() -> flows.create(null, browser, FlowState.AWAITING_LOGIN, null));
        flows.awaitGitLab(flow, null);
        return PageHeaders.seeOther(GitLabSettings.START_PATH).cookie(cookies.flow(browser)).build();
    }

    /** Reached only with a leftover quarkus-oidc session: drop it and ask for a fresh round trip. */
    @GET
    @Path("start")
    @Authenticated
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response startWithLeftoverSession(HttpServerResponse response) {
        dropOidcSession(response);
        return GitLabErrors.page(Response.Status.BAD_REQUEST, "Sign in with GitLab again",
                "An earlier GitLab sign-in was not finished. Start again from the sign-in page.");
    }

    @GET
    @Path("callback")
    @Authenticated
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response callback(@CookieParam(BrowserCookies.FLOW) String binding,
            @CookieParam(BrowserCookies.SESSION) String sessionCookie, HttpServerResponse response) {
        GitLabIdentity identity = identity();
        dropOidcSession(response); // our own session takes over
        Optional<LoginFlows.GitLabPending> pending = flows.takeGitLabPending(binding);
        if (pending.isEmpty()) {
            return GitLabErrors.page(Response.Status.BAD_REQUEST, "This GitLab sign-in was not expected",
                    "It was already used, it expired, or it was started in another browser. Start again from the sign-in page.");
        }
        if (pending.get().linkUserId() != null) {
            return linkFromAccountPage(pending.get().flow(), pending.get().linkUserId(), sessionCookie, identity);
        }
        GitLabAccounts.SignIn outcome;
        try {
            outcome = accounts.signIn(identity);
        } catch (ServiceException e) {
            // the same GitLab identity signing in twice at once: the other attempt created the account
            return GitLabErrors.page(Response.Status.CONFLICT, "Sign in with GitLab again",
                    "Another sign-in with the same GitLab account finished at the same moment. Start again from the"
                            + " sign-in page.");
        }
        if (outcome instanceof GitLabAccounts.SignIn.SignedIn s) {
            SignIns.SignedIn signedIn = signIns.complete(pending.get().flow(), s.userId(), UserSession.AuthMethod.GITLAB,
                    sessionCookie);
            return PageHeaders.seeOther(signedIn.location()).cookie(cookies.session(signedIn.sessionCookie())).build();
        }
        if (outcome instanceof GitLabAccounts.SignIn.EmailTaken) {
            return GitLabErrors.page(Response.Status.CONFLICT, "This email address belongs to another account",
                    "An account here already uses the email address of your GitLab account, so GitLab was not linked"
                            + " and no account was created. Sign in to that account with its password and link GitLab"
                            + " from its account page, or ask an administrator.");
        }
        if (outcome instanceof GitLabAccounts.SignIn.Disabled) {
            return GitLabErrors.page(Response.Status.FORBIDDEN, "This account is disabled", "Ask an administrator to enable it.");
        }
        return GitLabErrors.page(Response.Status.BAD_REQUEST, "GitLab did not share an email address",
                "An account needs an email address. Make the primary email of your GitLab account visible to"
                        + " this application, or ask an administrator.");
    }

    /** A callback for a round trip this browser did not start, or one already finished ({@link GitLabCallbackGuard}). */
    @GET
    @Path("refused")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response refused() {
        return GitLabErrors.page(Response.Status.BAD_REQUEST, "This GitLab sign-in cannot be completed",
                "It was started in another browser, or it was already used. Nothing was changed. Start again from the"
                        + " sign-in page.");
    }

    /** GitLab sent the person back with an error ({@code access_denied} when they cancelled). */
    @GET
    @Path("error")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response error(@QueryParam("error") String error) {
        if ("access_denied".equals(error)) {
            return GitLabErrors.page(Response.Status.FORBIDDEN, "GitLab sign-in cancelled",
                    "GitLab did not let you sign in here (the request was denied or cancelled). Nothing was changed.");
        }
        return GitLabErrors.page(Response.Status.BAD_GATEWAY, "GitLab sign-in failed",
                "GitLab answered with an error. Nothing was changed. Try again, or sign in with your email and password.");
    }

    private Response linkFromAccountPage(LoginFlow flow, UUID userId, String sessionCookie, GitLabIdentity identity) {
        flows.move(flow, FlowState.Transition.AUTHENTICATED, userId);
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !session.get().userId().equals(userId)) {
            return GitLabErrors.page(Response.Status.BAD_REQUEST, "GitLab was not linked",
                    "You are no longer signed in as the account that asked to link GitLab. Sign in and try again.");
        }
        return switch (accounts.link(userId, identity)) {
            case LINKED, ALREADY_LINKED -> PageHeaders.seeOther("/account?gitlab=linked")
                    .cookie(cookies.status("/account", "gitlab", "linked")).build();
            case LINKED_TO_ANOTHER_ACCOUNT -> PageHeaders.seeOther("/account?error=gitlab_taken").build();
            case ACCOUNT_HAS_ANOTHER_GITLAB -> PageHeaders.seeOther("/account?error=gitlab_other").build();
        };
    }

    /**
     * quarkus-oidc's session cookie (set during this very request, or left from an unfinished one)
     * is not sent, or is expired: GitLab's tokens never outlive the round trip in the browser.
     */
    private static void dropOidcSession(HttpServerResponse response) {
        response.removeCookie(OIDC_SESSION_COOKIE);
    }

    private GitLabIdentity identity() {
        Object verified = idToken.getClaim("email_verified");
        String username = string(idToken.getClaim("nickname"));
        if (username == null) {
            username = string(idToken.getClaim("preferred_username"));
        }
        return new GitLabIdentity(idToken.getIssuer(), idToken.getSubject(), string(idToken.getClaim("email")),
                Boolean.TRUE.equals(verified) || JsonValue.TRUE.equals(verified), username, strings(idToken.getClaim("groups_direct")));
    }

    private static String string(Object claim) {
        return claim == null ? null : claim instanceof JsonString js ? js.getString() : claim.toString();
    }

    private static List<String> strings(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof Collection<?> values) {
            for (Object v : values) {
                out.add(string(v));
            }
        }
        return out;
    }
}
