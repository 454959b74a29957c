package com.meltano.auth.login;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import com.meltano.auth.config.Issuer;

/**
 * The two browser cookies: the login flow (the pending authorization request) and the SSO session.
 * Both opaque, {@code HttpOnly} (no script reads them), {@code SameSite=Lax} (not sent on
 * cross-site POSTs, which stops login CSRF together with the form token), {@code Secure} when the
 * issuer is https.
 */
@ApplicationScoped
public class LoginCookies {

    public static final String FLOW = "meltano_flow";
    public static final String SESSION = "meltano_session";

    @Inject
    Issuer issuer;

    public NewCookie flow(String value) {
        return cookie(FLOW, value, (int) LoginFlows.LIFETIME.toSeconds());
    }

    public NewCookie session(String value) {
        return cookie(SESSION, value, (int) Sessions.LIFETIME.toSeconds());
    }

    public NewCookie clear(String name) {
        return cookie(name, "", 0);
    }

    /** 303 See Other: the answer to every POST, so a reload never resubmits a form. */
    public static Response.ResponseBuilder seeOther(String location) {
        return Response.status(Response.Status.SEE_OTHER).location(URI.create(location)).header("Cache-Control", "no-store");
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(issuer.isHttps())
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }
}
