package com.meltano.auth.login;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.meltano.auth.web.Pages;

/** What the pages that need mail answer when mail is off (SPEC section 12: nothing that needs mail is offered). */
final class MailOffPages {

    private MailOffPages() {
    }

    static Response notOffered() {
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("Not available",
                "This server sends no mail, so this page is not offered. An administrator can help with your account.",
                "/login", "Sign in")).build();
    }
}
