package com.meltano.auth.web;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpServerResponse;

/**
 * An error answer in the shape its path asks for ({@link ResponseShape}), independent of the
 * layer that writes it (a JAX-RS mapper or a Vert.x route that refuses input before JAX-RS runs).
 * Descriptions are ours, never an echo of the request and never a stack trace.
 */
public record ErrorReply(int status, String contentType, String body, Map<String, String> headers) {

    /** SPEC section 4: how long a client waits before retrying while the database is unavailable. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 400: input refused at the edge (SPEC section 9, "Input hygiene"). */
    public static ErrorReply invalidRequest(ResponseShape shape, String description) {
        return of(shape, 400, "invalid_request", description, "This request cannot be processed", description);
    }

    /** 400 naming the request field at fault (SPEC section 9), e.g. {@code redirect_uris[0]}. */
    public static ErrorReply invalidField(ResponseShape shape, String description, String field) {
        if (shape != ResponseShape.ADMIN && shape != ResponseShape.PROTOCOL) {
            return invalidRequest(shape, field + " " + description);
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", "invalid_request");
        body.put("error_description", description);
        body.put("field", field);
        return json(400, body, ErrorReply.jsonHeaders(shape));
    }

    /** 503 with {@code Retry-After}: the database is unavailable (SPEC section 4). */
    public static ErrorReply unavailable(ResponseShape shape) {
        ErrorReply r = of(shape, 503, "temporarily_unavailable", "the service is temporarily unavailable; retry later",
                "Temporarily unavailable", "The service cannot complete this request right now. Please try again in a moment.");
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put("Retry-After", RETRY_AFTER_SECONDS);
        return new ErrorReply(r.status(), r.contentType(), r.body(), Map.copyOf(headers));
    }

    /** 500: a failure of ours, logged with its stack trace, answered without one. */
    public static ErrorReply internal(ResponseShape shape) {
        return of(shape, 500, "server_error", "the server met an unexpected condition",
                "Something went wrong", "The server met an unexpected condition. Please try again later.");
    }

    /** 405: the address does not take this method (the caller adds {@code Allow}). */
    public static ErrorReply methodNotAllowed(ResponseShape shape) {
        return of(shape, 405, "invalid_request", "method not allowed", "Not allowed",
                "This address does not take this kind of request.");
    }

    /** 406: none of the media types the request accepts can be answered. */
    public static ErrorReply notAcceptable(ResponseShape shape) {
        return of(shape, 406, "invalid_request", "no acceptable response type", "Not acceptable",
                "This address cannot answer in the requested format.");
    }

    /** Any status in the path's shape; {@code OTHER} paths get the protocol JSON. */
    public static ErrorReply of(ResponseShape shape, int status, String code, String description, String pageTitle,
            String pageMessage) {
        if (shape == ResponseShape.PAGE) {
            return new ErrorReply(status, "text/html;charset=UTF-8", Pages.error(pageTitle, pageMessage, null, null).render(),
                    Map.of("Cache-Control", "no-store"));
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return json(status, body, jsonHeaders(shape));
    }

    /** Writes this reply as the answer of a route of the HTTP layer (outside JAX-RS); a page gets the page headers. */
    public void send(HttpServerResponse response) {
        response.setStatusCode(status).putHeader("Content-Type", contentType);
        headers.forEach(response::putHeader);
        if (contentType.startsWith("text/html")) {
            PageHeaders.secure(response::putHeader);
        }
        response.end(body);
    }

    private static Map<String, String> jsonHeaders(ResponseShape shape) {
        return shape == ResponseShape.ADMIN ? Map.of("Cache-Control", "no-store")
                : Map.of("Cache-Control", "no-store", "Pragma", "no-cache");
    }

    private static ErrorReply json(int status, Map<String, String> body, Map<String, String> headers) {
        try {
            return new ErrorReply(status, "application/json", JSON.writeValueAsString(body), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
