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
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.oauth2.authorize.FlowContinuation;
import com.meltano.auth.oauth2.authorize.FlowState;
import com.meltano.auth.oauth2.authorize.LoginFlow;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.UserSession;
import com.meltano.auth.throttle.Throttle;
import com.meltano.auth.web.Messages;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

import io.vertx.core.http.HttpServerRequest;

/**
 * The sign-in page of a login flow (SPEC section 5): GET shows the form of the flow the URL names,
 * POST checks it and answers 303. The email and password way of signing in.
 */
@Path("/login")
public class LoginEndpoint {

    static final String CREDENTIALS_FAILURE = "Sign-in failed: the email or password is not right. Try again.";

    @Inject
    FlowPages pages;

    @Inject
    PasswordLogin passwords;

    @Inject
    SignIns signIns;

    @Inject
    BrowserCookies cookies;

    @Inject
    AuthConfig config;

    @Inject
    MailSettings mail;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("flow") String flowId, @CookieParam(BrowserCookies.FLOW) String binding,
            @CookieParam(BrowserCookies.SESSION) String session, @QueryParam("failed") String failed,
            @QueryParam("wait") String wait, @QueryParam("error") String error) {
        FlowPages.Resolved resolved = pages.resolve(flowId, binding, session, FlowState.AWAITING_LOGIN);
        if (resolved.answer() != null) {
            return resolved.answer();
        }
        LoginFlow flow = resolved.flow();
        String notice = wait != null ? "Sign-in: " + Messages.waitMessage(wait)
                : "form".equals(error) ? "Sign-in: the form had expired, nothing was checked. Try again." : null;
        return resolved.page(Pages.login(pages.clientName(flow), flow.csrf(), flow.id(), pages.emailOf(flow),
                failed == null ? null : CREDENTIALS_FAILURE, notice, registrationOpen(), gitlabEnabled(), mail.on()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.SESSION) String previousSession,
            @FormParam("email") String email, @FormParam("password") String password, @FormParam("csrf") String csrf,
            HttpServerRequest http) {
        Optional<LoginFlow> flow = pages.posted(csrf, binding);
        if (flow.isEmpty()) {
            // no flow of this browser behind the form (expired long ago, or forged: login CSRF): nothing checked
            return PageHeaders.seeOther("/login?error=form").build();
        }
        Optional<UUID> user;
        try {
            user = passwords.verify(email, password, http.remoteAddress().hostAddress());
        } catch (Throttle.Throttled t) {
            pages.rememberEmail(flow.get(), email);
            return PageHeaders.seeOther(FlowContinuation.loginPage(flow.get()) + "&wait=" + t.retryAfterSeconds()).build();
        }
        if (user.isEmpty()) {
            pages.rememberEmail(flow.get(), email);
            return PageHeaders.seeOther(FlowContinuation.loginPage(flow.get()) + "&failed=1").build();
        }
        SignIns.SignedIn signedIn = signIns.complete(flow.get(), user.get(), UserSession.AuthMethod.PASSWORD, previousSession);
        return PageHeaders.seeOther(signedIn.location()).cookie(cookies.session(signedIn.sessionCookie())).build();
    }

    private boolean registrationOpen() {
        return config.auth().registration() == AuthConfig.Registration.OPEN;
    }

    private boolean gitlabEnabled() {
        return config.auth().gitlabClientId().isPresent();
    }
}
