package com.meltano.auth.gitlab;

import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.account.AccountPageEndpoint;
import com.meltano.auth.account.OwnAccount;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.oauth2.authorize.FlowState;
import com.meltano.auth.oauth2.authorize.LoginFlow;
import com.meltano.auth.oauth2.authorize.LoginFlows;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;
import com.meltano.auth.throttle.Throttle;
import com.meltano.auth.web.PageHeaders;

import io.vertx.core.http.HttpServerRequest;

/**
 * Linking and unlinking GitLab from the account page (SPEC sections 5 and 5a): each a POST with the
 * session's CSRF token and re-authentication, the current password or, for an account without
 * one, a GitLab sign-in from the last 5 minutes.
 */
@Path("/account/gitlab")
public class GitLabAccountEndpoint {

    @Inject
    Sessions sessions;

    @Inject
    UserViews accounts;

    @Inject
    OwnAccount ownAccount;

    @Inject
    GitLabAccounts gitlab;

    @Inject
    GitLabSettings settings;

    @Inject
    LoginFlows flows;

    @Inject
    BrowserCookies cookies;

    /** Re-authenticated: off to GitLab, in a flow that links the identity GitLab returns to this account. */
    @POST
    @Path("link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response link(@CookieParam(BrowserCookies.SESSION) String sessionCookie,
            @CookieParam(BrowserCookies.FLOW) String binding, @FormParam("csrf") String csrf,
            @FormParam("current_password") String password, HttpServerRequest http) {
        Optional<UserSession> session = checked(sessionCookie, csrf);
        if (session.isEmpty() || !settings.enabled()) {
            return PageHeaders.seeOther("/login").build();
        }
        boolean hasPassword = accounts.get(session.get().userId()).hasPassword();
        Optional<String> refused = reauthenticationRefused(session.get(), hasPassword, password, http);
        if (refused.isPresent()) {
            return PageHeaders.seeOther(refused.get()).build();
        }
        String browser = BrowserCookies.bindingOrNew(binding);
        LoginFlow flow = flows.create(null, browser, FlowState.AWAITING_LOGIN, null);
        flows.awaitGitLab(flow, session.get().userId());
        return PageHeaders.seeOther(GitLabSettings.START_PATH).cookie(cookies.flow(browser)).build();
    }

    @POST
    @Path("unlink")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response unlink(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("current_password") String password, HttpServerRequest http) {
        Optional<UserSession> session = checked(sessionCookie, csrf);
        if (session.isEmpty()) {
            return PageHeaders.seeOther("/login").build();
        }
        if (!accounts.get(session.get().userId()).hasPassword()) {
            return PageHeaders.seeOther("/account?error=gitlab_only").build();
        }
        Optional<String> refused = reauthenticationRefused(session.get(), true, password, http);
        if (refused.isPresent()) {
            return PageHeaders.seeOther(refused.get()).build();
        }
        if (!gitlab.unlink(session.get().userId())) {
            return PageHeaders.seeOther("/account?error=gitlab_only").build();
        }
        return PageHeaders.seeOther("/account?gitlab=unlinked").cookie(cookies.status("/account", "gitlab", "unlinked")).build();
    }

    private Optional<UserSession> checked(String sessionCookie, String csrf) {
        return sessions.current(sessionCookie).filter(s -> OpaqueTokens.same(csrf, s.csrf()));
    }

    /** Where to send the browser when re-authentication fails; empty when it succeeded. */
    private Optional<String> reauthenticationRefused(UserSession session, boolean hasPassword, String password,
            HttpServerRequest http) {
        try {
            boolean ok = hasPassword
                    ? ownAccount.passwordMatches(session.userId(), password, http.remoteAddress().hostAddress())
                    : session.recentGitLabSignIn(OwnAccount.FRESH_SIGN_IN, Instant.now());
            return ok ? Optional.empty() : Optional.of("/account?error=gitlab_wrong");
        } catch (Throttle.Throttled t) {
            return Optional.of("/account?wait=" + t.retryAfterSeconds() + "&form=" + AccountPageEndpoint.GITLAB_FORM);
        }
    }
}
