package com.meltano.auth.admin;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Malformed JSON, or a field of the wrong type, as the admin API's 400 naming the field
 * ({@code roles[1]}); the message never echoes the submitted value, which may be a password.
 * Quarkus REST reports unreadable bodies as a bare {@code WebApplicationException(400)} wrapping
 * the Jackson error, and has its own mapper for mismatched input: both are replaced here.
 */
public class JsonErrors {

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response processing(JsonProcessingException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response unreadable(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        return e.getResponse();
    }

    static Response json(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
        }
        String description = field == null ? "the body is not valid JSON" : "has the wrong type";
        return AdminErrors.response(400, "invalid_request", description, field, Map.of());
    }
}
