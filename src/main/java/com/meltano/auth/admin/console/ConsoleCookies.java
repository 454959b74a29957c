package com.meltano.auth.admin.console;

import java.util.Base64;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.web.PageHeaders;

import io.quarkus.qute.TemplateInstance;

/**
 * The console's answers: every form is answered 303 (SPEC section 11) with its outcome in a
 * short-lived cookie ({@value #NOTICE}) that the next page shows once and clears. A cookie rather
 * than the query string: another site cannot set it, so no link can make the console show a
 * message of someone else's choosing.
 */
@ApplicationScoped
public class ConsoleCookies {

    public static final String NOTICE = "meltano_console_notice";
    private static final int MAX_LENGTH = 3000;

    @Inject
    Issuer issuer;

    @Inject
    ObjectMapper json;

    /** A console page, clearing the notice it shows. */
    public Response page(TemplateInstance page, String noticeCookie) {
        Response.ResponseBuilder r = Response.ok(page);
        return (noticeCookie == null || noticeCookie.isEmpty() ? r : r.cookie(cookie("", 0))).build();
    }

    /** The notice carried by the cookie, or {@link ConsoleNotice#NONE}. */
    public ConsoleNotice notice(String noticeCookie) {
        if (noticeCookie == null || noticeCookie.isEmpty() || noticeCookie.length() > MAX_LENGTH) {
            return ConsoleNotice.NONE;
        }
        try {
            return json.readValue(Base64.getUrlDecoder().decode(noticeCookie), ConsoleNotice.class);
        } catch (IllegalArgumentException | java.io.IOException unreadable) {
            return ConsoleNotice.NONE;
        }
    }

    /** A form that did what it asked: to {@code location}, saying {@code message}. */
    public Response done(String location, String message) {
        return redirect(location, ConsoleNotice.success(message));
    }

    /**
     * A form the service refused: back to {@code location} with the error next to the form's field
     * {@code form.<service field>} ({@code form} alone when the service names no field).
     */
    /** A refused button (an action without fields): the reason goes to the form's own slot, whatever field it names. */
    public Response refusedAction(String location, String form, ServiceException e) {
        return redirect(location, ConsoleNotice.error(form, e.getMessage(), Map.of()));
    }

    public Response refused(String location, String form, ServiceException e, Map<String, String> typed) {
        String field = e.field() == null ? form : form + "." + e.field();
        return redirect(location, ConsoleNotice.error(field, e.getMessage(), typed));
    }

    private Response redirect(String location, ConsoleNotice notice) {
        String value;
        try {
            value = Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(notice));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notice is always serialisable", e);
        }
        if (value.length() > MAX_LENGTH) {
            // what was typed is long (a pasted document): keep the message, drop the echo
            return redirect(location, new ConsoleNotice(notice.ok(), notice.field(), notice.message(), Map.of()));
        }
        return PageHeaders.seeOther(location).cookie(cookie(value, 120)).build();
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(NOTICE).value(value).path("/admin").httpOnly(true).secure(issuer.isHttps())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

}
