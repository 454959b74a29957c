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

import com.meltano.auth.account.EmailChange;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.mail.Mails;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

/**
 * The page the link of an email change opens (SPEC section 12, "Changing the email"):
 * {@code GET /confirm-email?token=} shows a button and changes nothing (mail scanners follow
 * links); its POST makes the new address the account's ({@link EmailChange#confirm}). The link
 * signs nobody in: it proves the address, the change was asked for by a signed-in person. An
 * address that got an account meanwhile ends on a 409 page; nothing changed.
 */
@Path(Mails.CONFIRM_EMAIL_PAGE)
public class ConfirmEmailEndpoint {

    @Inject
    BrowserCookies cookies;

    @Inject
    EmailChange emailChange;

    @Inject
    MailSettings mail;

    @Inject
    LinkPages linkPages;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@QueryParam("token") String token, @QueryParam("error") String error, @QueryParam("done") String done,
            @CookieParam(BrowserCookies.FLOW) String binding, @CookieParam(BrowserCookies.STATUS) String status) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        if (BrowserCookies.confirmed(status, "done", done) != null) {
            return Response.ok(Pages.error("Email address changed", "Your account now uses its new email address, and the"
                    + " address it used before was told.", "/account", "Your account")).build();
        }
        if ("taken".equals(error)) {
            return Response.status(409).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("This address is already in use",
                    "Another account started to use this email address after the link was sent, so your account keeps its"
                            + " email address. Nothing was changed.", "/account", "Your account")).build();
        }
        if (error != null) {
            return LinkPages.unusable("form".equals(error), "Sign in and change your email address again from your account page.",
                    "/account", "Your account");
        }
        Optional<String> newEmail = emailChange.pending(token);
        if (newEmail.isEmpty()) {
            return PageHeaders.seeOther(Mails.CONFIRM_EMAIL_PAGE + "?error=used").build();
        }
        return linkPages.form(binding, csrf -> Pages.linkAction("Confirm your new email address",
                "Press the button to make " + newEmail.get() + " the email address of your account.", Mails.CONFIRM_EMAIL_PAGE,
                "Use this email address", token, csrf));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response confirm(@FormParam("token") String token, @FormParam("csrf") String csrf,
            @CookieParam(BrowserCookies.FLOW) String binding) {
        if (!mail.on()) {
            return LinkPages.notOffered();
        }
        if (!LinkForms.valid(binding, csrf)) {
            return PageHeaders.seeOther(Mails.CONFIRM_EMAIL_PAGE + "?error=form").build();
        }
        return switch (emailChange.confirm(token)) {
            case CHANGED -> PageHeaders.seeOther(Mails.CONFIRM_EMAIL_PAGE + "?done=1")
                    .cookie(cookies.status(Mails.CONFIRM_EMAIL_PAGE, "done", "1")).build();
            case TAKEN -> PageHeaders.seeOther(Mails.CONFIRM_EMAIL_PAGE + "?error=taken").build();
            case NOT_LIVE -> PageHeaders.seeOther(Mails.CONFIRM_EMAIL_PAGE + "?error=used").build();
        };
    }
}
