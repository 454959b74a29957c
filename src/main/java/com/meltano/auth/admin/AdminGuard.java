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
            // RFC 6750 section 3: no error code when no credentials were sent
            case UNAUTHENTICATED -> request.abortWith(decision.reason() == null
                    ? AdminErrors.response(401, "invalid_token", "a bearer access token is required", null,
                            Map.of("WWW-Authenticate", "Bearer realm=\"meltano-auth\""))
                    : AdminErrors.response(401, "invalid_token", decision.reason(), null,
                            Map.of("WWW-Authenticate", "Bearer realm=\"meltano-auth\", error=\"invalid_token\"")));
            case INSUFFICIENT_SCOPE -> request.abortWith(AdminErrors.response(403, "insufficient_scope", decision.reason(), null,
                    Map.of("WWW-Authenticate", "Bearer realm=\"meltano-auth\", error=\"insufficient_scope\", scope=\"admin\"")));
            case FORBIDDEN -> request.abortWith(AdminErrors.response(403, "forbidden", decision.reason(), null, Map.of()));
        }
    }

}
