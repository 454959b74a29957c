package com.meltano.auth.oidc;

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

import com.meltano.auth.account.AccountPageEndpoint;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;
import com.meltano.auth.session.Sessions;
import com.meltano.auth.session.UserSession;

/** The end-session endpoint (OpenID RP-Initiated Logout 1.0): GET from the client, POST to confirm. */
@Path(LogoutEndpoint.PATH)
public class LogoutEndpoint {

    public static final String PATH = "/logout";

    /** Discovery's {@code end_session_endpoint} (RP-Initiated Logout 1.0 section 2.1), reached by navigating, never by a cross-origin script. */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("end_session_endpoint", PATH, ProtocolEndpoint.CrossOrigin.NONE);

    @Inject
    Logout logout;

    @Inject
    Sessions sessions;

    @Inject
    BrowserCookies cookies;

    @GET
    @Operation(hidden = true)
    public Response start(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @QueryParam("id_token_hint") String hint,
            @QueryParam("client_id") String clientId, @QueryParam("post_logout_redirect_uri") String redirectUri,
            @QueryParam("state") String state) {
        Logout.Request request;
        try {
            request = logout.check(blank(hint), blank(clientId), blank(redirectUri), blank(state));
        } catch (Logout.Refused e) {
            return refused(e);
        }
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return done(request, false);
        }
        if (logout.matches(request, session.get())) {
            logout.end(session.get());
            return done(request, false);
        }
        return Response.ok(Pages.logoutConfirm(request.clientName(), session.get().csrf(), request.clientId(),
                request.redirectUri(), request.state())).type(MediaType.TEXT_HTML_TYPE).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response confirm(@CookieParam(BrowserCookies.SESSION) String sessionCookie, @FormParam("csrf") String csrf,
            @FormParam("client_id") String clientId, @FormParam("post_logout_redirect_uri") String redirectUri,
            @FormParam("state") String state) {
        Logout.Request request;
        try {
            request = logout.check(null, blank(clientId), blank(redirectUri), blank(state));
        } catch (Logout.Refused e) {
            return refused(e);
        }
        Optional<UserSession> session = sessions.current(sessionCookie);
        if (session.isPresent()) {
            if (!OpaqueTokens.same(csrf, session.get().csrf())) {
                // a forged form signs nobody out; an out-of-date one is told so on the account page
                return AccountPageEndpoint.refusedForm(session);
            }
            logout.end(session.get());
        }
        return done(request, true);
    }

    /** The page after signing out without a client to return to: a GET, so a reload never posts again. */
    @GET
    @Path("done")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response signedOut() {
        return Response.ok(signedOutPage()).build();
    }

    /**
     * Signed out: to the client's registered URI with state, or our own page (after a POST, through a
     * 303 to it, so a reload never posts again); the cookie cleared, and the pages the browser cached.
     */
    private Response done(Logout.Request request, boolean posted) {
        String destination = logout.destination(request);
        Response.ResponseBuilder r = destination != null ? PageHeaders.seeOther(destination)
                : posted ? PageHeaders.seeOther(PATH + "/done") : Response.ok(signedOutPage());
        // the browser's back button must not bring a signed-in page back from its back/forward cache
        return r.cookie(cookies.clear(BrowserCookies.SESSION)).header("Clear-Site-Data", "\"cache\"").build();
    }

    private static Object signedOutPage() {
        return Pages.error("You are signed out", "You can close this window.", "/login", "Sign in again");
    }

    private static Response refused(Logout.Refused e) {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.error("This sign-out request cannot be completed", e.getMessage(), "/account", "Your account")).build();
    }

    private static String blank(String v) {
        return v == null || v.isEmpty() ? null : v;
    }
}
