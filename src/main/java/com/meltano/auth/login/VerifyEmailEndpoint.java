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

import com.meltano.auth.account.EmailVerification;
import com.meltano.auth.account.UserView;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.oauth2.authorize.AuthorizeEndpoint;
import com.meltano.auth.oauth2.authorize.FlowContinuation;
import com.meltano.auth.oauth2.authorize.FlowState;
import com.meltano.auth.oauth2.authorize.LoginFlow;
import com.meltano.auth.oauth2.authorize.LoginFlows;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;
import com.meltano.auth.throttle.Throttle;
import com.meltano.auth.web.Messages;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

import io.vertx.core.http.HttpServerRequest;

/**
 * Email verification pages (SPEC section 12). {@code GET /verify-email?token=} shows a button and
 * changes nothing (mail scanners follow links); its POST verifies. A registration's link also
 * signs the person in, in the browser that follows it, and resumes the authorization request when
 * it is still waiting in that browser; otherwise the account page. {@code GET /verify-email}
 * without a token is "check your mail", with a button to send the link again when signed in.
 */
@Path("/verify-email")
public class VerifyEmailEndpoint {

    private static final String VERIFY_PAGE = "/verify-email";

    static final String CHECK_MAIL = "If the address can receive mail, a message with a link is on its way to it. Open the link to"
            + " verify your email address and continue. The link works once, for 24 hours.";

    @Inject
    EmailVerification verification;

    @Inject
    MailSettings mail;

    @Inject
    Sessions sessions;

    @Inject
    UserViews users;

    @Inject
    LoginFlows flows;

    @Inject
    FlowPages pages;

    @Inject
    SignIns signIns;

    @Inject
    BrowserCookies cookies;

    @Inject
    LinkPages linkPages;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("token") String token, @QueryParam("flow") String flowId, @QueryParam("error") String error,
            @QueryParam("sent") String sent, @QueryParam("wait") String wait, @QueryParam("done") String done,
            @CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.SESSION) String sessionCookie,
            @CookieParam(BrowserCookies.STATUS) String status) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        // confirmations only after this browser's own button (a link cannot set the cookie)
        done = BrowserCookies.confirmed(status, "done", done);
        sent = BrowserCookies.confirmed(status, "sent", sent);
        if (error != null) {
            return LinkPages.unusable("form".equals(error), "Sign in to send a new one.", "/account", "Sign in");
        }
        if (done != null) {
            Optional<LoginFlow> expired = flowId == null ? Optional.empty()
                    : flows.find(flowId, binding).filter(f -> f.request() != null && f.state() != FlowState.AWAITING_LOGIN);
            if (expired.isPresent()) {
                // the registration's request ended while the mail was on its way: say so, and lead back to it
                String app = Optional.ofNullable(pages.clientName(expired.get())).orElse("the application");
                return Response.ok(Pages.error("Email verified", "Your email address is verified, and you are signed in. The"
                        + " sign-in request from " + app + " ended before the link was opened, so it cannot continue here."
                        + " Continue to " + app + " to send it again.", expired.get().request().again(AuthorizeEndpoint.PATH),
                        "Continue to " + app)).build();
            }
            return Response.ok(Pages.error("Email verified", "Your email address is verified.", "/account", "Your account")).build();
        }
        if (token != null) {
            if (!verification.live(token)) {
                return PageHeaders.seeOther("/verify-email?error=used").build();
            }
            return linkPages.form(binding, csrf -> Pages.linkAction("Verify your email address",
                    "Press the button to verify the email address of your account.", "/verify-email", "Verify my email", token,
                    csrf));
        }
        Optional<UserSession> session = sessions.current(sessionCookie);
        // "to continue to" an application only while its request still waits for the link
        String clientName = flowId == null ? null : flows.find(flowId, binding)
                .filter(f -> f.state() == FlowState.AWAITING_LOGIN).map(pages::clientName).orElse(null);
        String notice = wait != null ? Messages.waitMessage(wait) : sent != null ? "A new link is on its way." : null;
        if (session.isPresent()) {
            UserView user = users.get(session.get().userId());
            if (!user.emailVerified()) {
                // never "the link we sent" when none was: an account an administrator made has had no mail yet
                boolean sentOne = verification.linkPending(user.id());
                String message = "Your email address " + user.email() + " is not verified yet. "
                        + (sentOne ? "Open the link we sent to it; it works once, for 24 hours."
                                : "Press the button to have a link sent to it; it works once, for 24 hours.")
                        + " Once your address is verified, go back to the application you came from.";
                return Response.ok(Pages.checkMail(null, message, session.get().csrf(), sentOne ? "Send the link again" : "Send me a link",
                        notice, "/account", "Your account")).build();
            }
        }
        return Response.ok(Pages.checkMail(clientName, CHECK_MAIL, null, null, notice, "/login", "Sign in")).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response verify(@FormParam("token") String token, @FormParam("csrf") String csrf,
            @CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.SESSION) String previousSession) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        if (!LinkForms.valid(binding, csrf)) {
            return PageHeaders.seeOther("/verify-email?error=form").build();
        }
        Optional<EmailVerification.Verified> verified = verification.verify(token);
        if (verified.isEmpty()) {
            return PageHeaders.seeOther("/verify-email?error=used").build();
        }
        if (verified.get().flowId() == null) {
            // a resent link proves the address, it signs nobody in
            return PageHeaders.seeOther("/verify-email?done=1").cookie(cookies.status(VERIFY_PAGE, "done", "1")).build();
        }
        Optional<LoginFlow> flow = flows.find(verified.get().flowId(), binding);
        if (flow.isPresent() && flow.get().state() == FlowState.AWAITING_LOGIN) {
            SignIns.SignedIn signedIn = signIns.complete(flow.get(), verified.get().userId(), UserSession.AuthMethod.PASSWORD,
                    previousSession);
            return PageHeaders.seeOther(signedIn.location()).cookie(cookies.session(signedIn.sessionCookie())).build();
        }
        Sessions.Created session = sessions.replace(previousSession, verified.get().userId(), UserSession.AuthMethod.PASSWORD);
        // the registration's request ended (expired, or finished in another tab): the page says so and leads back to it
        if (flow.isPresent() && flow.get().request() != null) {
            return PageHeaders.seeOther("/verify-email?done=1&flow=" + verified.get().flowId())
                    .cookie(cookies.session(session.cookieValue()), cookies.status(VERIFY_PAGE, "done", "1")).build();
        }
        return PageHeaders.seeOther(FlowContinuation.ACCOUNT_PAGE).cookie(cookies.session(session.cookieValue())).build();
    }

    @POST
    @Path("resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response resend(@FormParam("csrf") String csrf, @CookieParam(BrowserCookies.SESSION) String sessionCookie,
            HttpServerRequest http) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !OpaqueTokens.same(csrf, session.get().csrf())) {
            return PageHeaders.seeOther("/login").build();
        }
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        try {
            verification.resend(session.get().userId(), http.remoteAddress().hostAddress());
        } catch (Throttle.Throttled t) {
            return PageHeaders.seeOther("/verify-email?wait=" + t.retryAfterSeconds()).build();
        }
        return PageHeaders.seeOther("/verify-email?sent=1").cookie(cookies.status(VERIFY_PAGE, "sent", "1")).build();
    }
}
