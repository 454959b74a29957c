package com.meltano.auth.account;

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

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.mail.MailSettings;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.BrowserSubjects;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;
import com.meltano.auth.throttle.Throttle;
import com.meltano.auth.web.Messages;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

import io.vertx.core.http.HttpServerRequest;

/**
 * The account page (SPEC section 5) of the signed-in person: password, linked GitLab, sign out. Each
 * form's error is shown next to that form ({@code error} codes in the 303's query, never user input).
 *
 * <p>Self-service privacy (SPEC section 12): "Download my data" and "Delete my account".
 */
@Path("/account")
public class AccountPageEndpoint {

    /** Where the GitLab forms' errors and waits go (their codes start with {@code gitlab_}). */
    public static final String GITLAB_FORM = "gitlab";

    /** The page after a form whose token was not the session's: it says nothing was done. */
    private static final String OUT_OF_DATE = "expired";
    static final String OUT_OF_DATE_FORM = "/account?error=" + OUT_OF_DATE;

    @Inject
    Sessions sessions;

    @Inject
    UserViews accounts;

    @Inject
    OwnAccount ownAccount;

    @Inject
    AuthConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @QueryParam("changed") String changed,
            @QueryParam("gitlab") String gitlab, @QueryParam("error") String error, @QueryParam("wait") String wait,
            @QueryParam("form") String form, @QueryParam("email") String email, @CookieParam(BrowserCookies.STATUS) String status) {
        if (!config.authentication()) {
            // nobody signs in, so nobody has a session to show: the sign-in page sends here, and
            // a redirect back to it would never end
            return Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("The account page needs sign-in",
                    "MELTANO_AUTHENTICATION=false turns sign-in off, and with it the account page: every authorization"
                            + " request is completed as the built-in user " + BrowserSubjects.BUILT_IN_ADMIN_EMAIL + ".",
                    null, null)).build();
        }
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return PageHeaders.seeOther("/login").build();
        }
        UserView user = accounts.get(session.get().userId());
        // confirmations only when this browser's own form or sign-in led here (a link cannot set the cookie)
        changed = BrowserCookies.confirmed(status, "changed", changed);
        gitlab = BrowserCookies.confirmed(status, "gitlab", gitlab);
        LinkedIdentity gitlabLink = user.linkedIdentities().stream().findFirst().orElse(null);
        String message = changed != null ? "Your password was changed. Other sessions were signed out."
                : "linked".equals(gitlab) ? "GitLab is linked to your account."
                : "unlinked".equals(gitlab) ? "GitLab is no longer linked to your account." : null;
        boolean gitlabForm = GITLAB_FORM.equals(form) || error != null && error.startsWith("gitlab_");
        String waited = wait == null ? null : Messages.waitMessage(wait);
        String passwordForm = user.hasPassword() ? "Change password: " : "Set password: ";
        boolean deleteForm = DELETE_FORM.equals(form) || error != null && error.startsWith("delete_");
        boolean emailForm = EMAIL_FORM.equals(form) || error != null && error.startsWith("email_");
        String passwordError = gitlabForm || deleteForm || emailForm ? null : waited != null ? passwordForm + waited
                : "wrong".equals(error) ? passwordForm + "the current password is not right."
                : "stale".equals(error) ? passwordForm + "sign in with GitLab again first: setting a password needs a GitLab"
                        + " sign-in from the last 5 minutes." : null;
        String newPasswordError = "policy".equals(error)
                ? passwordForm + "choose a password of 8 to 128 characters that is not your email address." : null;
        String gitlabError = !gitlabForm ? null : waited != null ? "GitLab: " + waited : gitlabError(error);
        String notice = OUT_OF_DATE.equals(error) ? "This page was out of date (you signed in again since it was shown),"
                + " so nothing was done. Try again." : null;
        return Response.ok(Pages.account(user.email(), user.hasPassword(), session.get().csrf(), message, notice, passwordError,
                newPasswordError, gitlabError, config.auth().gitlabClientId().isPresent(), gitlabLink != null,
                gitlabLink == null ? null : gitlabLink.username(), deleteForm && user.hasPassword() ? deletePasswordError(error, waited) : null,
                deleteForm && "delete_email".equals(error) ? "Delete account: the email you typed is not this account's email,"
                        + " so nothing was deleted." : null,
                deleteForm ? deleteFormError(error, waited, user.hasPassword()) : null, user.emailVerified(), mail.on(),
                "sent".equals(email) ? EMAIL_SENT : null, emailForm ? newEmailError(error) : null,
                emailForm && user.hasPassword() ? emailPasswordError(error, waited) : null,
                emailForm && !user.hasPassword() ? emailFormError(error, waited) : null)).build();
    }

    /**
     * A form of this page whose token is not the session's: to sign-in without a session; with one
     * (signed in again in another tab since the page was shown), back to the page, which says that
     * nothing was done.
     */
    public static Response refusedForm(Optional<UserSession> session) {
        return PageHeaders.seeOther(session.isEmpty() ? "/login" : OUT_OF_DATE_FORM).build();
    }

    private static String gitlabError(String error) {
        if (error == null) {
            return null;
        }
        return switch (error) {
            case "gitlab_wrong" -> "GitLab: the current password is not right.";
            case "gitlab_taken" -> "GitLab: that GitLab account is linked to another account here.";
            case "gitlab_other" -> "GitLab: another GitLab account is already linked; unlink it first.";
            case "gitlab_only" -> "GitLab: it is your only way to sign in. Set a password before you unlink it.";
            default -> null;
        };
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response changePassword(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("current_password") String current, @FormParam("new_password") String next, HttpServerRequest http) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !OpaqueTokens.same(csrf, session.get().csrf())) {
            return refusedForm(session);
        }
        try {
            boolean recentGitLab = session.get().recentGitLabSignIn(OwnAccount.FRESH_SIGN_IN, Instant.now());
            boolean changed = ownAccount.changeOwnPassword(session.get().userId(), current, next, session.get().sid(), recentGitLab,
                    http.remoteAddress().hostAddress());
            if (!changed) {
                return PageHeaders.seeOther(accounts.get(session.get().userId()).hasPassword() ? "/account?error=wrong"
                        : "/account?error=stale").build();
            }
            return PageHeaders.seeOther("/account?changed=1").cookie(cookies.status("/account", "changed", "1")).build();
        } catch (Throttle.Throttled t) {
            return PageHeaders.seeOther("/account?wait=" + t.retryAfterSeconds()).build();
        } catch (ServiceException e) {
            return PageHeaders.seeOther("/account?error=policy").build();
        }
    }

    /** Where the "Delete account" form's errors and waits go (its codes start with {@code delete_}). */
    public static final String DELETE_FORM = "delete";

    /** The delete form's section: a refusal scrolls there, the error being far below the top of the page. */
    private static final String DELETE_SECTION = "#delete-account";

    @Inject
    AccountExport exports;

    @Inject
    BrowserCookies cookies;

    /**
     * "Download my data" (SPEC section 12): the admin export of the session's own user, as a file.
     * A GET without a CSRF token: it changes nothing, and no other site can read the answer. The
     * session cookie is {@code SameSite=Lax}, so a cross-site {@code <script>} or {@code fetch}
     * carries no session, and this path answers no CORS request; a cross-site link at most saves the
     * person's own data on their own machine. {@code nosniff} and {@code no-store} keep the file
     * from being run as a script or kept in a shared cache.
     */
    @GET
    @Path("export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response exportOwnData(@CookieParam(BrowserCookies.SESSION) String sessionCookie) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return PageHeaders.seeOther("/login").build();
        }
        Response.ResponseBuilder r = Response.ok(exports.export(session.get().userId()), MediaType.APPLICATION_JSON_TYPE);
        PageHeaders.secure(r::header);
        return r.header("Content-Disposition", "attachment; filename=\"meltano-auth-my-data.json\"").build();
    }

    /**
     * "Delete my account" (SPEC section 12): the session's CSRF token, re-authentication and the
     * typed email ({@link OwnAccount#deleteOwnAccount}); on success the session cookie is cleared and
     * the browser goes to a page saying so. Each refusal goes back to the form as a code.
     */
    @POST
    @Path("delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response deleteOwnAccount(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("current_password") String current, @FormParam("confirm_email") String typedEmail,
            HttpServerRequest http) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !OpaqueTokens.same(csrf, session.get().csrf())) {
            return refusedForm(session);
        }
        try {
            boolean recentGitLab = session.get().recentGitLabSignIn(OwnAccount.FRESH_SIGN_IN, Instant.now());
            if (!ownAccount.deleteOwnAccount(session.get().userId(), current, typedEmail, recentGitLab,
                    http.remoteAddress().hostAddress())) {
                boolean hasPassword = accounts.get(session.get().userId()).hasPassword();
                return PageHeaders.seeOther("/account?error=" + (hasPassword ? "delete_wrong" : "delete_stale") + DELETE_SECTION)
                        .build();
            }
        } catch (Throttle.Throttled t) {
            return PageHeaders.seeOther("/account?wait=" + t.retryAfterSeconds() + "&form=" + DELETE_FORM + DELETE_SECTION)
                    .build();
        } catch (ServiceException e) {
            return PageHeaders.seeOther(switch (e.kind()) {
                case INVALID -> "/account?error=delete_email" + DELETE_SECTION;
                case CONFLICT -> "/account?error=delete_last_admin" + DELETE_SECTION;
                default -> "/login"; // erased meanwhile (a second click): there is no account any more
            }).build();
        }
        return PageHeaders.seeOther("/account/deleted").cookie(cookies.clear(BrowserCookies.SESSION)).build();
    }

    /** After "Delete my account": a GET, so a reload never posts again; it shows nobody's data. */
    @GET
    @Path("deleted")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response deleted() {
        return Response.ok(Pages.error("Your account was deleted",
                "Your account and the data stored about you were deleted, and you were signed out everywhere.", "/login",
                "Sign in")).build();
    }

    /** The delete form's error next to its password field. */
    private static String deletePasswordError(String error, String waited) {
        return waited != null ? "Delete account: " + waited
                : "delete_wrong".equals(error) ? "Delete account: the current password is not right." : null;
    }

    /** The delete form's error that concerns no single field (the last admin; an account without a password). */
    private static String deleteFormError(String error, String waited, boolean hasPassword) {
        if ("delete_last_admin".equals(error)) {
            return "Delete account: you are the last admin. Make another person an admin first; nothing was deleted.";
        }
        if (hasPassword) {
            return null;
        }
        return waited != null ? "Delete account: " + waited
                : "delete_stale".equals(error) ? "Delete account: sign in with GitLab again first: deleting an account without"
                        + " a password needs a GitLab sign-in from the last 5 minutes." : null;
    }

    /** Where the "Change email" form's errors and waits go (its codes start with {@code email_}). */
    public static final String EMAIL_FORM = "email";

    /** The email section: the answer to the change form is far below the top of the page. */
    private static final String EMAIL_SECTION = "#email-address";

    /** The same for a free address and for one that has an account (no enumeration). */
    static final String EMAIL_SENT = "Change email: if the new address can receive mail, a link is on its way to it. Your email"
            + " address changes only when you open that link (it works once, for 24 hours).";

    @Inject
    EmailChange emailChange;

    @Inject
    MailSettings mail;

    /**
     * "Change email" (SPEC section 12): the session's CSRF token, re-authentication and the new
     * address ({@link EmailChange#request}); the answer is the same whether or not the new address
     * has an account. Each refusal goes back to the form as a code.
     */
    @POST
    @Path("email")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response changeEmail(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("new_email") String newEmail, @FormParam("current_password") String current, HttpServerRequest http) {
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty() || !OpaqueTokens.same(csrf, session.get().csrf())) {
            return refusedForm(session);
        }
        if (!mail.on()) {
            return PageHeaders.seeOther("/account").build(); // not offered: the page shows no such form
        }
        try {
            boolean recentGitLab = session.get().recentGitLabSignIn(OwnAccount.FRESH_SIGN_IN, Instant.now());
            if (!emailChange.request(session.get().userId(), newEmail, current, recentGitLab, http.remoteAddress().hostAddress())) {
                boolean hasPassword = accounts.get(session.get().userId()).hasPassword();
                return PageHeaders.seeOther("/account?error=" + (hasPassword ? "email_wrong" : "email_stale") + EMAIL_SECTION).build();
            }
        } catch (Throttle.Throttled t) {
            return PageHeaders.seeOther("/account?wait=" + t.retryAfterSeconds() + "&form=" + EMAIL_FORM + EMAIL_SECTION).build();
        } catch (ServiceException e) {
            return PageHeaders.seeOther(switch (e.kind()) {
                case CONFLICT -> "/account?error=email_same" + EMAIL_SECTION;
                case INVALID -> "/account?error=email_invalid" + EMAIL_SECTION;
                default -> "/login"; // erased meanwhile: there is no account any more
            }).build();
        }
        return PageHeaders.seeOther("/account?email=sent" + EMAIL_SECTION).build();
    }

    /** The change form's error next to the new address. */
    private static String newEmailError(String error) {
        return "email_invalid".equals(error) ? "Change email: type a whole email address, such as name@example.com."
                : "email_same".equals(error) ? "Change email: this is already your email address." : null;
    }

    /** The change form's error next to the current password. */
    private static String emailPasswordError(String error, String waited) {
        return waited != null ? "Change email: " + waited
                : "email_wrong".equals(error) ? "Change email: the current password is not right." : null;
    }

    /** The change form's error for an account without a password (re-authentication through GitLab). */
    private static String emailFormError(String error, String waited) {
        return waited != null ? "Change email: " + waited
                : "email_stale".equals(error) ? "Change email: sign in with GitLab again first: changing the email of an account"
                        + " without a password needs a GitLab sign-in from the last 5 minutes." : null;
    }
}
