package com.meltano.auth.admin.console;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.keys.KeyListing;
import com.meltano.auth.keys.KeyRotation;

/**
 * {@code /admin/keys}: the signing keys and their rotation (SPEC section 11), through
 * {@link KeyRotation#rotate} as {@code POST /admin/api/keys/rotate}. "Activate now" is for a key
 * that may be compromised, so it asks first.
 */
@Path("/admin/keys")
@Produces(MediaType.TEXT_HTML)
public class ConsoleKeysEndpoint {

    @Inject
    ConsoleAdmin admin;

    @Inject
    ConsoleCookies cookies;

    @Inject
    KeyRotation rotation;

    @Inject
    KeyListing listing;

    @GET
    @Operation(hidden = true)
    public Response keys(@CookieParam(ConsoleCookies.NOTICE) String notice) {
        return cookies.page(ConsolePages.keys(ConsoleFrame.of(admin, "keys", cookies.notice(notice)), listing.all(),
                KeyRotation.ACTIVATE_NOW_DELAY.toSeconds()), notice);
    }

    @POST
    @Path("rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response rotate(@FormParam("csrf") String csrf) {
        return rotated(csrf, false);
    }

    @GET
    @Path("rotate-now")
    @Operation(hidden = true)
    public Response confirmRotateNow() {
        long seconds = KeyRotation.ACTIVATE_NOW_DELAY.toSeconds();
        return Response.ok(ConsolePages.confirm(ConsoleFrame.of(admin, "keys", ConsoleNotice.NONE),
                "Rotate the signing key and activate the new one now?",
                "A new key is published at once and signs every token from about " + seconds + " seconds from now,"
                        + " once every replica publishes it. The current key is then retired: it signs nothing more, but"
                        + " stays published and keeps verifying the tokens it signed until they expire. Use this when the"
                        + " current key may be compromised; revoke the grants it may have served separately.",
                "/admin/keys/rotate-now", "Rotate and activate now", "/admin/keys")).build();
    }

    @POST
    @Path("rotate-now")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response rotateNow(@FormParam("csrf") String csrf) {
        return rotated(csrf, true);
    }

    private Response rotated(String csrf, boolean activateNow) {
        admin.requireForm(csrf);
        return cookies.done("/admin/keys", said(rotation.rotate(admin.actor(), activateNow)));
    }

    private static String said(List<KeyRotation.NewKey> made) {
        StringBuilder s = new StringBuilder();
        for (KeyRotation.NewKey k : made) {
            s.append(s.length() == 0 ? "" : " ").append("New ").append(k.alg()).append(" key ").append(k.kid()).append(' ')
                    .append(k.state()).append(": it signs from ").append(ConsoleFormats.utc(k.activatesAt())).append('.');
        }
        return s.toString();
    }
}
