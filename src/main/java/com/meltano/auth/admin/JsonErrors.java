package com.meltano.auth.admin;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Malformed JSON, or a field of the wrong type, as the admin API's 400 naming the field
 * ({@code roles[1]}); the message never echoes the submitted value, which may be a password.
 */
@Provider
public class JsonErrors implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream().map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
        }
        String description = field == null ? "the body is not valid JSON" : "has the wrong type";
        return AdminErrors.response(400, "invalid_request", description, field, Map.of());
    }
}
