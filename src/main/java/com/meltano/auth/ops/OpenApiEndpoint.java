package com.meltano.auth.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /q/openapi} (SPEC section 9): the admin API's OpenAPI document, made from the resources'
 * annotations when the classes are compiled (smallrye-open-api-maven-plugin in pom.xml) and served
 * as it was made. YAML by default; JSON for {@code ?format=json} or a client that prefers
 * {@code application/json}, as Quarkus' own endpoint answered. Nothing is scanned, parsed or
 * serialized at start (README, "Memory and start time"); each form is read from the jar on its
 * first request.
 */
@Path(OpenApiEndpoint.PATH)
public class OpenApiEndpoint {

    public static final String PATH = "/q/openapi";

    static final String YAML = "application/yaml";

    /** Where the build writes the document (pom.xml). */
    private static final String RESOURCE = "META-INF/openapi/openapi.";

    private static final MediaType YAML_TYPE = MediaType.valueOf(YAML);

    private static final Map<String, byte[]> READ = new ConcurrentHashMap<>();

    @GET
    @Produces({ YAML, MediaType.APPLICATION_JSON })
    @Operation(hidden = true)
    public Response get(@QueryParam("format") String format, @Context HttpHeaders headers) {
        String extension;
        if (format == null) {
            extension = prefersJson(headers) ? "json" : "yaml";
        } else if (format.equalsIgnoreCase("json") || format.equalsIgnoreCase("yaml")) {
            extension = format.toLowerCase(Locale.ROOT);
        } else {
            return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    .entity("format must be json or yaml\n").build();
        }
        byte[] document = READ.computeIfAbsent(extension, OpenApiEndpoint::read);
        String type = extension.equals("json") ? MediaType.APPLICATION_JSON : YAML;
        return Response.ok(document, MediaType.valueOf(type).withCharset("UTF-8")).build();
    }

    /** The first acceptable type that names one of the two decides; a wildcard means the default, YAML. */
    private static boolean prefersJson(HttpHeaders headers) {
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isWildcardSubtype() || accepted.isCompatible(YAML_TYPE)) {
                return false;
            }
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(String extension) {
        try (InputStream in = OpenApiEndpoint.class.getClassLoader().getResourceAsStream(RESOURCE + extension)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + extension + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
