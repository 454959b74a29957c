package com.meltano.auth.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * The server-rendered HTML pages of the browser flow (SPEC section 5): sign-in, registration,
 * consent, sign-out confirmation, the account page and the error page.
 *
 * <p>Type-safe Qute templates ({@code templates/Pages/<method>.html}, sharing
 * {@code templates/base.html}); their expressions are checked against these parameters at build
 * time. The pages work without JavaScript and use neither inline scripts nor inline styles, so
 * they can be served under {@code Content-Security-Policy: default-src 'none'; style-src 'self';
 * frame-ancestors 'none'}. Every value is written with HTML escaping (Qute
 * escapes {@code {expr}} in {@code .html} templates); the templates never use raw output, so an
 * email address, a client name or an error message can never inject markup.
 *
 * <p>Nullable parameters ({@code clientName}, {@code error}, {@code email}, {@code message},
 * {@code backUrl}) are simply omitted from the page when {@code null}. {@code backUrl} must be a
 * URL the server chose (e.g. {@code /login} or {@code /account}), never one taken from a request:
 * escaping does not make a {@code javascript:} URL harmless.
 */
@CheckedTemplate(basePath = "Pages") // a top-level class would otherwise look in templates/ itself
public class Pages {

    private Pages() {
    }

    /**
     * The sign-in form of login flow {@code flowId}; posts {@code email}, {@code password} and {@code csrf}
     * (the flow's form token) to {@code /login}. {@code credentialsError} is shown next to both fields,
     * {@code notice} (a wait, an expired form) above the form.
     */
    public static native TemplateInstance login(String clientName, String csrf, String flowId, String email,
            String credentialsError, String notice, boolean registrationOpen, boolean gitlabEnabled, boolean forgotPassword);

    /** The registration form; posts {@code email}, {@code password} and {@code csrf} to {@code /register}. */
    public static native TemplateInstance register(String clientName, String csrf, String flowId, String email,
            String emailError, String passwordError, String notice);

    /**
     * The consent form; posts {@code csrf} and {@code decision} ({@code allow} or {@code deny}) to
     * {@code /consent}. {@code scopes} are scope names, described in words by the template;
     * {@code accountEmail} says who is signed in.
     */
    public static native TemplateInstance consent(String clientName, List<String> scopes, String csrf, String accountEmail);

    /**
     * A page with an explanation and, when {@code backUrl} is set, a way on ({@code backLabel}, or
     * "Back"). {@code title} is also the page's title.
     */
    public static native TemplateInstance error(String title, String message, String backUrl, String backLabel);

    /** Asks before signing out; posts {@code csrf} and {@code confirm=yes} to {@code /logout}. */
    public static native TemplateInstance logoutConfirm(String clientName, String csrf, String clientId,
            String postLogoutRedirectUri, String state);

    /**
     * The account page. Each form shows its own error next to its fields: the password form posts
     * {@code current_password} (only when {@code hasPassword}), {@code new_password} and {@code csrf}
     * to {@code /account/password}; the GitLab forms post to {@code /account/gitlab/link|unlink}.
     * "Download my data" links to {@code /account/export}; the "Delete account" form posts
     * {@code current_password} (only when {@code hasPassword}), {@code confirm_email} and {@code csrf}
     * to {@code /account/delete}, its errors next to the password, the email, or the whole form.
     * The "Email address" section says whether the email is verified; with mail on
     * ({@code mailOn}) it offers the verification link again (posting {@code csrf} to
     * {@code /verify-email/resend}) and the "Change email" form, which posts {@code new_email},
     * {@code current_password} (only when {@code hasPassword}) and {@code csrf} to
     * {@code /account/email}; {@code emailMessage} is its answer, its errors sit next to the new
     * address, the password, or the whole form ({@code emailError}).
     */
    public static native TemplateInstance account(String email, boolean hasPassword, String csrf, String message,
            String notice, String passwordError, String newPasswordError, String gitlabError, boolean gitlabEnabled,
            boolean gitlabLinked, String gitlabUsername, String deletePasswordError, String deleteEmailError,
            String deleteError, boolean emailVerified, boolean mailOn, String emailMessage, String newEmailError,
            String emailPasswordError, String emailError);

    /**
     * "Check your mail" (SPEC section 12): after a registration with mail on, and where an unverified
     * account may not continue. {@code resendCsrf}: the session's form token when the signed-in
     * person may ask for the link again (null: no button).
     */
    public static native TemplateInstance checkMail(String clientName, String message, String resendCsrf, String resendLabel,
            String notice, String backUrl, String backLabel);

    /**
     * The page a mailed link opens: it explains and shows one button; only the POST of that button
     * acts (mail scanners follow links). {@code action} is a path the server chose.
     */
    public static native TemplateInstance linkAction(String title, String message, String action, String button, String token,
            String csrf);

    /** "Forgot password?": posts {@code email} and {@code csrf} to {@code /forgot-password}. */
    public static native TemplateInstance forgotPassword(String csrf, String email, String emailError, String notice);

    /** The form a reset or invitation link opens: posts {@code token}, {@code password} and {@code csrf} to {@code /reset-password}. */
    public static native TemplateInstance resetPassword(String email, boolean firstPassword, String token, String csrf,
            String passwordError);
}
