package com.meltano.auth.login;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.web.Pages;

/**
 * What every page that mail leads to shares (SPEC section 12): the 404 when mail is off (nothing
 * that needs mail is offered), the 400 page of a link that cannot be used, and the form page whose
 * token ({@link LinkForms}) is bound to the browser's flow cookie, set on the answer when new.
 */
@ApplicationScoped
public class LinkPages {

    @Inject
    BrowserCookies cookies;

    static Response notOffered() {
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("Not available",
                "This server sends no mail, so this page is not offered. An administrator can help with your account.",
                "/login", "Sign in")).build();
    }

    /**
     * A link or its form that can no longer act: {@code formExpired} when the page's form token was
     * not this browser's, otherwise the link was used, voided by a newer one or expired ({@code
     * whatNow} says how to get a new one). Nothing was changed.
     */
    static Response unusable(boolean formExpired, String whatNow, String backUrl, String backLabel) {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Pages.error("This link cannot be used",
                formExpired ? "The page had expired, nothing was changed. Open the link from the mail again."
                        : "This link has expired, was already used, or was replaced by a newer one. " + whatNow,
                backUrl, backLabel)).build();
    }

    /** A page with a form posted back here: {@code page} gets the form token of this browser. */
    Response form(String binding, Function<String, Object> page) {
        String browser = BrowserCookies.bindingOrNew(binding);
        Response.ResponseBuilder r = Response.ok(page.apply(LinkForms.csrf(browser)));
        return (browser.equals(binding) ? r : r.cookie(cookies.flow(browser))).build();
    }
}
