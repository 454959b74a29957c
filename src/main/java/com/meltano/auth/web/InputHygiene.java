package com.meltano.auth.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;


import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * SPEC section 9, "Input hygiene", in one place at the edge: before any endpoint runs, the raw
 * path, the raw query string and the raw body of a form or JSON request are read strictly
 * ({@link StrictText}); what fails gets a 400 in the shape of its path ({@link ResponseShape}),
 * never a 5xx from a decoder deeper down or a NUL that PostgreSQL refuses. The framework's own
 * endpoints under {@code /q} are left alone.
 */
@ApplicationScoped
public class InputHygiene {

    private static final String READ_HERE = "meltano.input-hygiene.read";

    void install(@Observes Router router) {
        // after BodyLimit (Integer.MIN_VALUE and + 1), so that an oversized body is refused first
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(BodyLimit.MAX_BODY_BYTES).setHandleFileUploads(false);
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            String path = ctx.request().path();
            if (!validTarget(ctx.request().uri())) {
                reject(ctx, "the request target is not a valid URI");
                return;
            }
            if (path == null || path.startsWith("/q/")) {
                ctx.next();
                return;
            }
            String problem = StrictText.pathProblem(path);
            if (problem == null) {
                problem = StrictText.formProblem(ctx.request().query(), "query string");
            }
            if (problem != null) {
                reject(ctx, problem);
            } else if (checkedBody(ctx) != null && hasBody(ctx) && ctx.request().version() != HttpVersion.HTTP_2) {
                ctx.put(READ_HERE, Boolean.TRUE);
                bodies.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE + 3).handler(ctx -> {
            if (!Boolean.TRUE.equals(ctx.get(READ_HERE))) {
                ctx.next();
                return;
            }
            RequestBody body = ctx.body();
            if (body == null || body.buffer() == null) {
                // a chunked body of no bytes leaves no buffer, and the endpoint would then wait for
                // the body already read here until its read timed out: it gets the empty body
                ((RoutingContextInternal) ctx).setBody(Buffer.buffer());
            }
            byte[] bytes = ctx.body().buffer().getBytes();
            if ("json".equals(checkedBody(ctx))) {
                StrictText.JsonProblem problem = StrictText.jsonProblem(bytes);
                if (problem == null) {
                    ctx.next();
                } else if (problem.field() == null) {
                    reject(ctx, problem.description());
                } else {
                    ErrorReply.invalidField(ResponseShape.of(ctx.request().path()), problem.description(), problem.field())
                            .send(ctx.response());
                }
                return;
            }
            List<Map.Entry<String, String>> pairs = new ArrayList<>();
            String problem = StrictText.parseForm(bytes, "body", pairs);
            MultiMap attributes = ctx.request().formAttributes();
            if (problem == null && attributes.isEmpty()) {
                // The HTTP layer did not decode this body (an HTTP/2 request, or one upgraded from
                // HTTP/1.1 with h2c): hand the endpoints our strict reading of it, since the body
                // cannot be read a second time. A body of nothing but '&' has no parameter to hand.
                if (pairs.isEmpty()) {
                    problem = "the body holds no parameter";
                }
                pairs.forEach(p -> attributes.add(p.getKey(), p.getValue()));
            }
            if (problem != null) {
                reject(ctx, problem);
            } else {
                ctx.next();
            }
        });
        // The router refuses a malformed path or query itself (a bare 400 before any route runs),
        // and the HTTP layer's form decoder may refuse a body first: the same 400, in its shape.
        router.route().order(Integer.MIN_VALUE + 2).failureHandler(ctx -> {
            if (ctx.response().ended() || ctx.request().path() != null && ctx.request().path().startsWith("/q/")) {
                ctx.next();
                return;
            }
            String problem = null;
            if (ctx.statusCode() == 400) {
                problem = StrictText.pathProblem(ctx.request().path());
                if (problem == null) {
                    problem = StrictText.formProblem(ctx.request().query(), "query string");
                }
            }
            if (problem == null && Boolean.TRUE.equals(ctx.get(READ_HERE)) && (ctx.statusCode() == 400 || decoding(ctx.failure()))) {
                problem = "the body is not valid percent-encoded UTF-8";
            }
            if (problem != null) {
                reject(ctx, problem);
            } else {
                ctx.next();
            }
        });
    }

    /**
     * What the HTTP layer would have checked (MeltanoAuthMain turns its check off so that the
     * answer has our shape): the request target parses as a URI.
     */
    private static boolean validTarget(String uri) {
        try {
            new java.net.URI(uri);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean decoding(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException || t.getClass().getName().startsWith("io.netty.handler.codec")) {
                return true;
            }
        }
        return false;
    }

    /** "form", "json" or null: the bodies whose text is checked here. */
    private static String checkedBody(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null) {
            return null;
        }
        String media = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (media.equals("application/x-www-form-urlencoded")) {
            return "form";
        }
        if (media.equals("application/json") || media.endsWith("+json")) {
            return "json";
        }
        return null;
    }

    private static boolean hasBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            return !length.trim().equals("0");
        }
        return ctx.request().getHeader("Transfer-Encoding") != null;
    }

    static void reject(RoutingContext ctx, String problem) {
        ErrorReply.invalidRequest(ResponseShape.of(ctx.request().path()), problem).send(ctx.response());
    }
}
