package com.meltano.auth.session;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.config.Issuer;

/**
 * The browser cookies. {@code meltano_flow} binds login flows to the browser that started them
 * (one value for all its flows, so that tabs never collide: each page names its own flow); a form
 * posted from another site carries no cookie and so finds no flow (login CSRF). {@code
 * meltano_session} is the SSO session. Both opaque, {@code HttpOnly} (no script reads them),
 * {@code SameSite=Lax} (not sent on cross-site POSTs), {@code Secure} when the issuer is https.
 * {@code meltano_status} carries what a page confirms ({@link #status}).
 */
@ApplicationScoped
public class BrowserCookies {

    public static final String FLOW = "meltano_flow";
    public static final String SESSION = "meltano_session";
    public static final String STATUS = "meltano_status";

    /** Long enough for a reload of the page that confirms something, short enough not to linger. */
    static final Duration STATUS_LIFETIME = Duration.ofMinutes(10);

    /** Outlives any flow it binds (a flow lives 15 minutes, and is kept a day to explain itself). */
    static final Duration FLOW_BINDING_LIFETIME = Duration.ofDays(2);

    @Inject
    Issuer issuer;

    /** The browser's flow binding: the one it has, or a new one (then {@link #flow} must be set on the answer). */
    public static String bindingOrNew(String current) {
        return current == null || current.isEmpty() ? OpaqueTokens.newToken() : current;
    }

    public NewCookie flow(String value) {
        return cookie(FLOW, value, (int) FLOW_BINDING_LIFETIME.toSeconds());
    }

    public NewCookie session(String value) {
        return cookie(SESSION, value, (int) Sessions.LIFETIME.toSeconds());
    }

    /**
     * What a page confirms after its form did it ({@code /account?changed=1}): the redirect carries
     * it in the URL and in this cookie, for that page's path only, and the page shows the
     * confirmation only when both say the same ({@link #confirmed}). Another site can link to the
     * URL but cannot set the cookie, so no link makes a page confirm what did not happen.
     */
    public NewCookie status(String pagePath, String name, String value) {
        return new NewCookie.Builder(STATUS).value(name + "=" + value).path(pagePath).httpOnly(true).secure(issuer.isHttps())
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) STATUS_LIFETIME.toSeconds()).build();
    }

    /** {@code value}, the URL's {@code name=value}, when the status cookie says the same; else null (a link made it). */
    public static String confirmed(String statusCookie, String name, String value) {
        return value != null && (name + "=" + value).equals(statusCookie) ? value : null;
    }

    public NewCookie clear(String name) {
        return cookie(name, "", 0);
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(issuer.isHttps())
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }
}
