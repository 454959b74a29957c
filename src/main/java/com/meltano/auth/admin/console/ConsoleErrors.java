package com.meltano.auth.admin.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.meltano.auth.web.Pages;

/** The console's refusals as plain pages (SPEC section 11: a page, never JSON or a 5xx). */
public class ConsoleErrors {

    /** A console form not from a console page of this session (CSRF): refused, nothing changed. */
    @ServerExceptionMapper
    public Response formRefused(ConsoleAdmin.FormRefused e) {
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("This form was refused",
                "It did not come from a page of your console session, so nothing was changed."
                        + " Open the page again and repeat what you wanted to do.",
                "/admin", "Admin console")).build();
    }

    /** A console page of something that does not exist (anymore). */
    public static Response notFound(String title, String backUrl, String backLabel) {
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.error(title, "It may have been deleted or renamed.", backUrl, backLabel)).build();
    }
}
