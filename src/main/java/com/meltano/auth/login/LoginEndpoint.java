package com.meltano.auth.login;

import java.util.Optional;
import java.util.UUID;

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

import com.meltano.auth.account.PasswordLogin;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.oauth2.authorize.AuthorizationService;
import com.meltano.auth.throttle.Throttle;

import io.vertx.core.http.HttpServerRequest;

/** The sign-in page (SPEC section 5): GET shows the form, POST checks it and answers 303. */
@Path("/login")
public class LoginEndpoint {

    static final String GENERIC_FAILURE = "The email or password is not right, or there were too many attempts. Try again.";

    /**
     * A throttled attempt (SPEC section 5) is told to wait and how long, the same way for a known and
     * an unknown email, and never that its password is wrong (it was not checked).
     */
    static String waitMessage(String seconds) {
        long s = seconds != null && seconds.matches("[1-9][0-9]{0,5}") ? Long.parseLong(seconds) : 1;
        return "Too many attempts. Wait " + s + (s == 1 ? " second" : " seconds") + ", then try again.";
    }

    @Inject
    LoginFlows flows;

    @Inject
    Sessions sessions;

    @Inject
    LoginCookies cookies;

    @Inject
    PasswordLogin passwords;

    @Inject
    FlowContinuation continuation;

    @Inject
    AuthorizationService authorizations;

    @Inject
    AuthConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(LoginCookies.FLOW) String flowCookie, @QueryParam("failed") String failed,
            @QueryParam("wait") String wait) {
        LoginFlows.Current current = flows.findOrStart(flowCookie);
        LoginFlow flow = current.flow();
        Response.ResponseBuilder r = Response.ok(Pages.login(authorizations.clientName(flow.request()), flow.csrf(),
                wait != null ? waitMessage(wait) : failed == null ? null : GENERIC_FAILURE, flow.request() == null ? null : flow.request().loginHint(),
                registrationOpen(), gitlabEnabled()));
        if (current.newCookie() != null) {
            r.cookie(cookies.flow(current.newCookie()));
        }
        return r.build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@CookieParam(LoginCookies.FLOW) String flowCookie,
            @CookieParam(LoginCookies.SESSION) String previousSession, @FormParam("email") String email,
            @FormParam("password") String password, @FormParam("csrf") String csrf, HttpServerRequest http) {
        Optional<LoginFlow> flow = flows.find(flowCookie);
        if (flow.isEmpty() || !OpaqueTokens.same(csrf, flow.get().csrf())) {
            // no flow or a forged form (login CSRF): start over, nothing signed in
            return LoginCookies.seeOther("/login?failed=1").build();
        }
        Optional<UUID> user;
        try {
            user = passwords.verify(email, password, http.remoteAddress().hostAddress());
        } catch (Throttle.Throttled t) {
            return LoginCookies.seeOther("/login?wait=" + t.retryAfterSeconds()).build();
        }
        if (user.isEmpty()) {
            return LoginCookies.seeOther("/login?failed=1").build();
        }
        // a sign-in always starts a new session; one the browser had before ends (no session fixation)
        sessions.current(previousSession).ifPresent(sessions::revoke);
        FlowContinuation.SignedIn signedIn = continuation.signedIn(flow.get(), user.get(), UserSession.AuthMethod.PASSWORD);
        return LoginCookies.seeOther(signedIn.location()).cookie(cookies.session(signedIn.sessionCookie())).build();
    }

    private boolean registrationOpen() {
        return config.auth().registration() == AuthConfig.Registration.OPEN;
    }

    private boolean gitlabEnabled() {
        return config.auth().gitlabClientId().isPresent();
    }
}
