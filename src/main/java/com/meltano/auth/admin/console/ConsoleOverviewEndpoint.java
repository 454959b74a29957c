package com.meltano.auth.admin.console;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.account.UserViews;
import com.meltano.auth.audit.AuditQuery;
import com.meltano.auth.keys.KeyListing;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.rbac.RbacService;

/** {@code /admin}: the console's overview (SPEC section 11). */
@Path("/admin")
public class ConsoleOverviewEndpoint {

    static final int LATEST_EVENTS = 10;

    @Inject
    ConsoleAdmin admin;

    @Inject
    ConsoleCookies cookies;

    @Inject
    UserViews users;

    @Inject
    RbacService rbac;

    @Inject
    ClientService clients;

    @Inject
    KeyListing keys;

    @Inject
    AuditQuery audit;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response overview(@CookieParam(ConsoleCookies.NOTICE) String notice) {
        return cookies.page(ConsolePages.overview(ConsoleFrame.of(admin, "overview", cookies.notice(notice)), users.count(),
                rbac.listRoles().size(), clients.count(), keys.all(), audit.page(null, LATEST_EVENTS)), notice);
    }
}
