package com.meltano.auth.admin;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Guards every {@code /admin/api} route with {@link AdminAccess}; protocol routes are untouched. */
@Provider
public class AdminGuard implements ContainerRequestFilter {

    @Inject
    AdminAccess access;

    @Inject
    AdminPrincipal principal;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/admin/api")) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        AdminAccess.Decision decision = access.decide(token);
        switch (decision.outcome()) {
            case ALLOWED -> principal.set(decision.subject());
            case UNAUTHENTICATED -> request.abortWith(AdminErrors.response(401, "invalid_token", decision.reason(), null,
                    Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
            case FORBIDDEN -> request.abortWith(AdminErrors.response(403, "insufficient_scope".equals(decision.reason())
                    ? "insufficient_scope" : "forbidden", decision.reason(), null, Map.of()));
        }
    }

}
