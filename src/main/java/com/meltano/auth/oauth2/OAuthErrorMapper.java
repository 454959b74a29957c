package com.meltano.auth.oauth2;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Writes every {@link OAuthError} as RFC 6749 section 5.2 JSON, never with a stack trace. */
@Provider
public class OAuthErrorMapper implements ExceptionMapper<OAuthError> {

    @Override
    public Response toResponse(OAuthError error) {
        return response(error.status(), error.code(), error.description(), error.headers());
    }

    public static Response response(int status, String code, String description, Map<String, String> headers) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        if (description != null) {
            body.put("error_description", description);
        }
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache");
        headers.forEach(r::header);
        return r.build();
    }
}
