package com.meltano.auth.web;

import java.net.URI;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import io.quarkus.qute.TemplateInstance;

/**
 * Every HTML page refuses to be framed (clickjacking on the login and consent forms), loads
 * nothing but our stylesheet, and is never cached (SPEC section 5). Pages say their charset: a
 * client that guesses (ISO-8859-1 by default for {@code text/html}) would turn "·" into "Â·".
 */
@Provider
public class PageHeaders implements ContainerResponseFilter {

    /**
     * No {@code form-action}: browsers apply it to every redirect that follows a form submission,
     * and our forms legitimately end at a client's redirect URI (sign-in, consent, sign-out) or at
     * GitLab (linking), which {@code form-action 'self'} would block. The templates post only to us
     * and cannot be injected into (every value escaped), which is what {@code form-action} guards.
     */
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        boolean html = type != null ? type.isCompatible(MediaType.TEXT_HTML_TYPE) : response.getEntity() instanceof TemplateInstance;
        if (!html) {
            return;
        }
        // rendered here: the template integration would otherwise send its variant's bare "text/html"
        Object entity = response.getEntity() instanceof TemplateInstance page ? page.render() : response.getEntity();
        response.setEntity(entity, response.getEntityAnnotations(), MediaType.valueOf(HTML));
        secure(response.getHeaders()::putSingle);
    }

    /** The content type of every page. */
    public static final String HTML = "text/html;charset=UTF-8";

    /** 303 See Other: the answer to every POST of a page, so a reload never resubmits a form (SPEC section 5). */
    public static Response.ResponseBuilder seeOther(String location) {
        return Response.status(Response.Status.SEE_OTHER).location(URI.create(location)).header("Cache-Control", "no-store");
    }

    /** The page headers, for a page written outside JAX-RS (input refused before any endpoint runs). */
    public static void secure(java.util.function.BiConsumer<String, String> header) {
        header.accept("Content-Security-Policy", CSP);
        header.accept("X-Frame-Options", "DENY");
        header.accept("X-Content-Type-Options", "nosniff");
        header.accept("Referrer-Policy", "no-referrer");
        header.accept("Cache-Control", "no-store");
    }
}
