package com.meltano.auth.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * SPEC section 9: the admin API is described at {@code /q/openapi}, by the document the build made
 * from the resources (YAML by default, JSON when asked for), with every operation the server serves.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OpenApiEndpointTest {

    @Test
    void openApiWhenNothingAskedThenYamlOfTheAdminApi() {
        Response r = given().get("/q/openapi");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/yaml;charset=UTF-8");
        assertThat(r.asString()).contains("openapi: 3.1.0", "title: Meltano Auth admin API", "/admin/api/users:");
    }

    @Test
    void openApiWhenJsonAskedByFormatOrAcceptThenTheSameDocumentAsJson() {
        Response byFormat = given().queryParam("format", "JSON").get("/q/openapi");
        Response byAccept = given().accept("application/json").get("/q/openapi");

        assertThat(byFormat.statusCode()).isEqualTo(200);
        assertThat(byFormat.contentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(byAccept.contentType()).isEqualTo("application/json;charset=UTF-8");
        assertThat(byAccept.asString()).isEqualTo(byFormat.asString());
        JsonPath doc = byFormat.jsonPath();
        assertThat(doc.getString("info.title")).isEqualTo("Meltano Auth admin API");
        assertThat(doc.getMap("components.securitySchemes.bearer")).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(doc.getList("paths.'/admin/api/roles'.post.security.bearer")).isNotNull();
        assertThat(doc.getMap("paths.'/admin/api/roles'.post.responses").keySet()).contains("201", "400", "409");
    }

    @Test
    void openApiWhenYamlPreferredOverJsonThenYaml() {
        Response r = given().accept("application/json;q=0.5, application/yaml").get("/q/openapi");

        assertThat(r.contentType()).isEqualTo("application/yaml;charset=UTF-8");
    }

    @Test
    void openApiThenEveryOperationOfTheAdminResourcesIsDescribedAndNothingElse() throws ClassNotFoundException {
        Set<String> served = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("com.meltano.auth.admin")) {
            Class<?> type = Class.forName(c.getName(), false, OpenApiEndpointTest.class.getClassLoader());
            Path root = type.getAnnotation(Path.class);
            if (root == null || !root.value().startsWith("/admin/api")) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    // as OpenAPI writes a template: no leading slash doubled, no regular expression
                    String path = root.value() + (sub == null ? "" : "/" + sub.value().replaceFirst("^/", ""));
                    served.add(verb + " " + path.replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}"));
                }
            }
        }
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi").jsonPath().getMap("paths");
        Set<String> described = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(verb -> described.add(verb + " " + path)));

        assertThat(served).hasSizeGreaterThan(20);
        assertThat(described).isEqualTo(served);
    }

    @Test
    void openApiWhenFormatUnknownThenPlainBadRequest() {
        Response r = given().queryParam("format", "xml").get("/q/openapi");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("format must be json or yaml");
    }

    @Test
    void openApiWhenHeadThenLengthWithoutBody() {
        Response get = given().get("/q/openapi");
        Response head = given().head("/q/openapi");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.asByteArray()).isEmpty();
        assertThat(head.contentType()).isEqualTo(get.contentType());
    }

    @Test
    void openApiWhenPostOrUnacceptableTypeThenRefused() {
        assertThat(given().post("/q/openapi").statusCode()).isEqualTo(405);
        assertThat(given().accept("text/html").get("/q/openapi").statusCode()).isEqualTo(406);
    }

    private static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "get";
        }
        if (m.isAnnotationPresent(POST.class)) {
            return "post";
        }
        if (m.isAnnotationPresent(PUT.class)) {
            return "put";
        }
        if (m.isAnnotationPresent(PATCH.class)) {
            return "patch";
        }
        return m.isAnnotationPresent(DELETE.class) ? "delete" : null;
    }
}
