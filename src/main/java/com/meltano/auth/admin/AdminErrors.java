package com.meltano.auth.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.meltano.auth.common.ServiceException;

/** The admin API's error body (SPEC section 9): {@code error}, {@code error_description}, {@code field}. */
@Provider
public class AdminErrors implements ExceptionMapper<ServiceException> {

    @Override
    public Response toResponse(ServiceException e) {
        return switch (e.kind()) {
            case INVALID -> response(400, "invalid_request", e.getMessage(), e.field(), Map.of());
            case NOT_FOUND -> response(404, "not_found", e.getMessage(), e.field(), Map.of());
            case CONFLICT -> response(409, "conflict", e.getMessage(), e.field(), Map.of());
            case FORBIDDEN -> response(403, "forbidden", e.getMessage(), e.field(), Map.of());
        };
    }

    static Response response(int status, String error, String description, String field, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        if (field != null) {
            body.put("field", field);
        }
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body)
                .header("Cache-Control", "no-store");
        headers.forEach(r::header);
        return r.build();
    }
}
