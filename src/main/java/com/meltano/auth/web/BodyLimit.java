package com.meltano.auth.web;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;

/**
 * Request bodies over the limit get RFC 6749 JSON ({@code invalid_request}, 400) instead of the
 * HTTP layer's bare 413 (SPEC section 4). A declared {@code Content-Length} is refused before the
 * body is read; a chunked body that grows past the limit is cut off by the body handler, whose
 * 413 failure is rewritten here.
 */
@ApplicationScoped
public class BodyLimit {

    /** SPEC section 4: a body over 64 KiB is refused. */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    private static final String CHUNKED_READ = "meltano.body-limit.chunked";
    private static final String BODY = "{\"error\":\"invalid_request\",\"error_description\":\"the request body is larger than 64 KiB\"}";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
        // A chunked body has no declared length: read it here, under the limit, so that an
        // overflow becomes a routing failure (413) that the failure handler below rewrites.
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false);
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (ctx.request().getHeader("Content-Length") == null && ctx.request().getHeader("Transfer-Encoding") != null) {
                ctx.put(CHUNKED_READ, Boolean.TRUE);
                chunked.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (!tooLarge(ctx)) {
                ctx.next();
            } else if (!ctx.response().ended()) {
                reject(ctx);
            }
        });
    }

    /**
     * 413 from a body limit, or, while this class reads a chunked body, the form decoder's refusal
     * of an attribute over {@code max-form-attribute-size} (a 400 with an IOException).
     */
    private static boolean tooLarge(RoutingContext ctx) {
        if (ctx.statusCode() == 413 || ctx.failure() instanceof HttpException e && e.getStatusCode() == 413) {
            return true;
        }
        return Boolean.TRUE.equals(ctx.get(CHUNKED_READ)) && ctx.failure() instanceof IOException;
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    reject(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                // the HTTP codec rejects it
            }
        }
        ctx.next();
    }

    private static void reject(RoutingContext ctx) {
        ctx.response().setStatusCode(400)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Connection", "close")
                .end(BODY);
    }
}
