package com.meltano.auth.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Request bodies over the limit get RFC 6749 JSON ({@code invalid_request}, 400) instead of the
 * HTTP layer's bare 413 (SPEC section 4). A declared {@code Content-Length} is refused before the
 * body is read; a chunked body that grows past the limit is cut off by the body handler, whose
 * 413 failure is rewritten here.
 */
@ApplicationScoped
public class BodyLimit {

    /** Form values up to 64 KiB are accepted, plus room for the other parameters. */
    public static final long MAX_BODY_BYTES = 64 * 1024 + 4 * 1024;

    private static final String BODY = "{\"error\":\"invalid_request\",\"error_description\":\"the request body is larger than 64 KiB\"}";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                reject(ctx);
            } else {
                ctx.next();
            }
        });
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
