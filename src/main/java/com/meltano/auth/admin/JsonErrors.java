package com.meltano.auth.admin;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import com.meltano.auth.web.FailureErrors;

/**
 * Malformed JSON, or a field of the wrong type, as the admin API's 400 naming the field
 * ({@code roles[1]}); the message never echoes the submitted value, which may be a password.
 * Quarkus REST reports unreadable bodies as a bare {@code WebApplicationException(400)} wrapping
 * the Jackson error (answered by {@link FailureErrors}, the same way), and has its own mapper for
 * mismatched input: replaced here.
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

    static Response json(JsonProcessingException e) {
        String field = FailureErrors.fieldOf(e);
        String description = field == null ? "the body is not valid JSON" : "has the wrong type";
        return AdminErrors.response(400, "invalid_request", description, field, Map.of());
    }
}
