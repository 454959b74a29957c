package com.meltano.auth.login;

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

import com.meltano.auth.account.PasswordReset;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.throttle.Throttle;
import com.meltano.auth.web.Messages;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

import io.vertx.core.http.HttpServerRequest;

/**
 * "Forgot password?" (SPEC section 12), only with mail on: the answer is the same whether or not
 * the email has an account, and so is the throttling (per email and per address).
 */
@Path("/forgot-password")
public class ForgotPasswordEndpoint {

    static final String SENT = "If an account uses this address, a link to choose a new password is on its way to it."
            + " It works once, for 30 minutes.";

    @Inject
    PasswordReset reset;

    @Inject
    MailSettings mail;

    @Inject
    LinkPages linkPages;

    @Inject
    BrowserCookies cookies;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(BrowserCookies.FLOW) String binding, @QueryParam("sent") String sent,
            @QueryParam("wait") String wait, @QueryParam("error") String error, @CookieParam(BrowserCookies.STATUS) String status) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        boolean confirmed = BrowserCookies.confirmed(status, "sent", sent) != null; // this browser's own request, not a link
        String notice = confirmed ? SENT : wait != null ? "Forgot password: " + Messages.waitMessage(wait)
                : "form".equals(error) ? "Forgot password: the form had expired, nothing was sent. Try again." : null;
        String emailError = "email".equals(error) ? "Forgot password: enter a valid email address." : null;
        return linkPages.form(binding, csrf -> Pages.forgotPassword(csrf, null, emailError, notice));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@FormParam("email") String email, @FormParam("csrf") String csrf,
            @CookieParam(BrowserCookies.FLOW) String binding, HttpServerRequest http) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        if (!LinkForms.valid(binding, csrf)) {
            return PageHeaders.seeOther("/forgot-password?error=form").build();
        }
        try {
            reset.request(email, http.remoteAddress().hostAddress());
        } catch (ServiceException e) {
            return PageHeaders.seeOther("/forgot-password?error=email").build();
        } catch (Throttle.Throttled t) {
            return PageHeaders.seeOther("/forgot-password?wait=" + t.retryAfterSeconds()).build();
        }
        return PageHeaders.seeOther("/forgot-password?sent=1").cookie(cookies.status("/forgot-password", "sent", "1")).build();
    }
}
