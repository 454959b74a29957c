package com.meltano.auth.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

import com.meltano.auth.account.PasswordReset;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

/**
 * The page a reset or invitation link opens (SPEC section 12): GET shows the form and changes
 * nothing; the POST sets the password under the policy and uses the link up. A policy error keeps
 * the link live so the person can try again.
 */
@Path("/reset-password")
public class ResetPasswordEndpoint {

    /** {@code done} after an invitation's link set the account's first password. */
    private static final String FIRST_PASSWORD = "first";

    static final String POLICY_ERROR = "Choose a new password: 8 to 128 characters that are not your email address.";

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
    public Response page(@QueryParam("token") String token, @QueryParam("error") String error, @QueryParam("done") String done,
            @CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.STATUS) String status) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        done = BrowserCookies.confirmed(status, "done", done); // "password set" only after this browser's own form
        if (FIRST_PASSWORD.equals(done)) {
            return Response.ok(Pages.error("Password set", "Your password is set. Sign in with it.", "/login", "Sign in")).build();
        }
        if (done != null) {
            return Response.ok(Pages.error("Password set", "Your new password is set, and every session of your account was signed"
                    + " out. Sign in with the new password.", "/login", "Sign in")).build();
        }
        if ("form".equals(error) || "used".equals(error)) {
            return LinkPages.unusable("form".equals(error), "Ask for a new one.", "/forgot-password", "Forgot password?");
        }
        Optional<PasswordReset.LinkAccount> account = reset.linkAccount(token);
        if (account.isEmpty()) {
            return PageHeaders.seeOther("/reset-password?error=used").build();
        }
        return linkPages.form(binding, csrf -> Pages.resetPassword(account.get().email(), !account.get().hasPassword(), token, csrf,
                "password".equals(error) ? POLICY_ERROR : null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@FormParam("token") String token, @FormParam("password") String password, @FormParam("csrf") String csrf,
            @CookieParam(BrowserCookies.FLOW) String binding) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        if (!LinkForms.valid(binding, csrf)) {
            return PageHeaders.seeOther("/reset-password?error=form").build();
        }
        PasswordReset.Outcome outcome;
        try {
            outcome = reset.reset(token, password);
        } catch (ServiceException e) {
            return PageHeaders.seeOther("/reset-password?error=password&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                    .build();
        }
        if (outcome == PasswordReset.Outcome.NOT_LIVE) {
            return PageHeaders.seeOther("/reset-password?error=used").build();
        }
        // an invitation's link set the account's first password: no session to sign out, nothing "new"
        String done = outcome == PasswordReset.Outcome.FIRST_SET ? FIRST_PASSWORD : "1";
        return PageHeaders.seeOther("/reset-password?done=" + done).cookie(cookies.status("/reset-password", "done", done)).build();
    }
}
