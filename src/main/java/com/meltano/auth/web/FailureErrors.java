package com.meltano.auth.web;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import com.meltano.auth.common.DatabaseOutage;

import io.vertx.core.http.HttpServerRequest;

/**
 * Every failure that no feature answers itself, written in the shape of its path
 * ({@link ResponseShape}) instead of the framework's text page: the database unavailable (503
 * with {@code Retry-After}, one log line per outage), the framework's own refusals (a wrong content
 * type is a 400 {@code invalid_request}, SPEC section 9 "Input hygiene"; 404, 405 and 406 keep
 * their status), and any other exception (a generic 500, its stack trace in the log only).
 */
public class FailureErrors {

    private static final Logger LOG = Logger.getLogger(FailureErrors.class);

    @ServerExceptionMapper
    public Response unexpected(Throwable failure, HttpServerRequest request) {
        ResponseShape shape = ResponseShape.of(request.path());
        if (DatabaseOutage.isUnavailable(failure)) {
            DatabaseOutage.failed(failure);
            return jaxRs(ErrorReply.unavailable(shape));
        }
        LOG.errorf(failure, "unexpected failure answering %s %s", request.method(), request.path());
        return jaxRs(ErrorReply.internal(shape));
    }

    @ServerExceptionMapper
    public Response refused(WebApplicationException e, HttpServerRequest request) {
        Response original = e.getResponse();
        int status = original.getStatus();
        ResponseShape shape = ResponseShape.of(request.path());
        if (e.getCause() instanceof JsonProcessingException json) {
            return jaxRs(unreadableJson(shape, json));
        }
        if (shape == ResponseShape.OTHER || status < 400 || status == 401 || status == 403 || original.hasEntity()) {
            return original;
        }
        ErrorReply reply = switch (status) {
            case 400 -> ErrorReply.invalidRequest(shape, "the request is malformed");
            // RFC 6749 section 5.2 has no code for a wrong media type: the request is invalid
            case 415 -> ErrorReply.invalidRequest(shape, "unsupported content type");
            case 404 -> ErrorReply.of(shape, 404, "not_found", "not found", "Not found", "There is nothing at this address.");
            case 405 -> ErrorReply.methodNotAllowed(shape);
            case 406 -> ErrorReply.notAcceptable(shape);
            default -> status >= 500 ? ErrorReply.internal(shape)
                    : ErrorReply.of(shape, status, "invalid_request", "the request cannot be processed",
                            "This request cannot be processed", "This request cannot be processed.");
        };
        Response.ResponseBuilder r = builder(reply);
        List<Object> allow = original.getHeaders().get("Allow");
        if (allow != null) {
            allow.forEach(a -> r.header("Allow", a));
        } else if (status == 405) {
            AllowHeaders.of(request.path()).ifPresent(methods -> r.header("Allow", methods));
        }
        return r.build();
    }

    /** A body that is not the JSON expected: 400 naming the field when Jackson knows it. */
    public static ErrorReply unreadableJson(ResponseShape shape, JsonProcessingException e) {
        String field = fieldOf(e);
        if (field == null) {
            return ErrorReply.invalidRequest(shape, "the body is not valid JSON");
        }
        return ErrorReply.invalidField(shape, "has the wrong type", field);
    }

    /** {@code redirect_uris[0]} for a failure inside that element; null when Jackson has no path. */
    public static String fieldOf(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
        }
        return null;
    }

    public static Response jaxRs(ErrorReply reply) {
        return builder(reply).build();
    }

    private static Response.ResponseBuilder builder(ErrorReply reply) {
        Response.ResponseBuilder r = Response.status(reply.status()).type(reply.contentType()).entity(reply.body());
        reply.headers().forEach(r::header);
        return r;
    }
}
