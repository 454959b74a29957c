package com.meltano.auth.admin.console;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import com.meltano.auth.login.FlowPages;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.web.Pages;

/**
 * Guards every console page ({@code /admin} but the REST API under {@code /admin/api}) with
 * {@link ConsoleAccess}: no session goes to sign in and comes back to the page it asked for; a
 * person without the admin right gets a 403 page.
 */
@Provider
public class ConsoleGuard implements ContainerRequestFilter {

    @Inject
    ConsoleAccess access;

    @Inject
    ConsoleAdmin admin;

    @Inject
    FlowPages flowPages;

    /** Whether a path is the console's (the REST API has its own guard). */
    static boolean consolePath(String path) {
        return (path.equals("/admin") || path.startsWith("/admin/")) && !path.startsWith("/admin/api");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!consolePath(path)) {
            return;
        }
        ConsoleAccess.Decision decision = access.decide(cookie(request, BrowserCookies.SESSION));
        switch (decision.outcome()) {
            case ALLOWED -> admin.set(decision.session());
            // back to the page asked for (a posted form is not replayed: its page is shown again)
            case SIGN_IN -> request.abortWith(flowPages.signInThenReturn(returnPath(request), cookie(request, BrowserCookies.FLOW)));
            case FORBIDDEN -> request.abortWith(Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error(
                    "You cannot use the admin console",
                    "You are signed in as " + decision.session().email() + ", who does not hold the admin right."
                            + " Ask an administrator if you need it.",
                    "/account", "Your account")).build());
            // a console without sign-in could not tell a forged form from the admin's own
            case SIGN_IN_OFF -> request.abortWith(Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error(
                    "The admin console needs sign-in",
                    "MELTANO_AUTHENTICATION=false turns sign-in off, and with it the console. Use the command line"
                            + " (java -jar quarkus-run.jar user list) or the admin API instead.",
                    null, null)).build());
        }
    }

    /** The page asked for, query included (a filtered audit page, a who-can question); a form's page for a POST. */
    private static String returnPath(ContainerRequestContext request) {
        java.net.URI uri = request.getUriInfo().getRequestUri();
        String query = uri.getRawQuery();
        return "GET".equals(request.getMethod()) && query != null && query.length() < 2000 ? uri.getRawPath() + "?" + query
                : uri.getRawPath();
    }

    private static String cookie(ContainerRequestContext request, String name) {
        Cookie c = request.getCookies().get(name);
        return c == null ? null : c.getValue();
    }
}
