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

import com.meltano.auth.account.MailedRegistration;
import com.meltano.auth.account.NewUsers;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.mail.MailSettings;
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
 * The registration page of a login flow (SPEC section 5), only when {@code MELTANO_AUTH_REGISTRATION=open}:
 * a way of signing in that first creates the account. With mail on (SPEC section 12) it ends on
 * "check your mail" instead, for a new email and a known one alike.
 */
@Path("/register")
public class RegisterEndpoint {

    static final String EMAIL_ERROR = "Registration failed: enter a valid email address.";
    static final String PASSWORD_ERROR = "Registration failed: choose a password of 8 to 128 characters that is not your email address.";
    static final String EXISTS_ERROR = "Registration failed: this email cannot be registered. If it is yours, sign in instead.";

    @Inject
    AuthConfig config;

    @Inject
    FlowPages pages;

    @Inject
    NewUsers accounts;

    @Inject
    SignIns signIns;

    @Inject
    BrowserCookies cookies;

    @Inject
    MailSettings mail;

    @Inject
    MailedRegistration mailed;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("flow") String flowId, @CookieParam(BrowserCookies.FLOW) String binding,
            @CookieParam(BrowserCookies.SESSION) String session, @QueryParam("error") String error, @QueryParam("wait") String wait) {
        if (!open()) {
            return closed();
        }
        FlowPages.Resolved resolved = pages.resolve(flowId, binding, session, FlowState.AWAITING_LOGIN);
        if (resolved.answer() != null) {
            return resolved.answer();
        }
        LoginFlow flow = resolved.flow();
        String emailError = "email".equals(error) ? EMAIL_ERROR : "exists".equals(error) ? EXISTS_ERROR : null;
        String passwordError = "password".equals(error) ? PASSWORD_ERROR : null;
        String notice = "form".equals(error) ? "Registration: the form had expired, nothing was created. Try again."
                : wait != null ? "Registration: " + Messages.waitMessage(wait) : null;
        return resolved.page(Pages.register(pages.clientName(flow), flow.csrf(), flow.id(), pages.emailOf(flow), emailError,
                passwordError, notice));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.SESSION) String previousSession,
            @FormParam("email") String email, @FormParam("password") String password, @FormParam("csrf") String csrf,
            HttpServerRequest http) {
        if (!open()) {
            return closed();
        }
        Optional<LoginFlow> flow = pages.posted(csrf, binding);
        if (flow.isEmpty()) {
            return PageHeaders.seeOther("/register?error=form").build();
        }
        if (mail.on()) {
            return registerByMail(flow.get(), email, password, http.remoteAddress().hostAddress());
        }
        UUID user;
        try {
            user = accounts.register(email, password);
        } catch (ServiceException e) {
            pages.rememberEmail(flow.get(), email);
            String code = e.kind() == ServiceException.Kind.CONFLICT ? "exists" : "password".equals(e.field()) ? "password" : "email";
            return PageHeaders.seeOther("/register?flow=" + flow.get().id() + "&error=" + code).build();
        }
        SignIns.SignedIn signedIn = signIns.complete(flow.get(), user, UserSession.AuthMethod.PASSWORD, previousSession);
        return PageHeaders.seeOther(signedIn.location()).cookie(cookies.session(signedIn.sessionCookie())).build();
    }

    /**
     * With mail on (SPEC section 12) a new email and a known one end alike on "check your mail"; the
     * new account's link signs the person in and resumes this flow.
     */
    private Response registerByMail(LoginFlow flow, String email, String password, String address) {
        try {
            mailed.register(email, password, flow.id(), address);
        } catch (ServiceException e) {
            pages.rememberEmail(flow, email);
            return PageHeaders.seeOther("/register?flow=" + flow.id() + "&error=" + ("password".equals(e.field()) ? "password" : "email"))
                    .build();
        } catch (Throttle.Throttled t) {
            pages.rememberEmail(flow, email);
            return PageHeaders.seeOther("/register?flow=" + flow.id() + "&wait=" + t.retryAfterSeconds()).build();
        }
        return PageHeaders.seeOther("/verify-email?flow=" + flow.id()).build();
    }

    private boolean open() {
        return config.auth().registration() == AuthConfig.Registration.OPEN;
    }

    private static Response closed() {
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.error("Registration is closed", "Ask an administrator for an account.", "/login", "Sign in")).build();
    }
}
