package com.meltano.auth.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Shared helpers of the admin API tests: unique names (the database is shared by every test class
 * of a run), requests with a given bearer token, and the checks every admin error body must pass.
 */
final class AdminFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A password that passes the policy and is never anyone's email. */
    static final String GOOD_PASSWORD = "correct-horse-battery-staple";

    private AdminFixtures() {
    }

    static String uniqueEmail(String label) {
        return label + "-" + UUID.randomUUID() + "@example.com";
    }

    /** A valid role name ({@code [A-Za-z0-9][A-Za-z0-9._:-]{0,63}}) that no other test uses. */
    static String uniqueRole(String label) {
        return label + "-" + UUID.randomUUID();
    }

    /** A valid client_id ({@code [A-Za-z0-9._-]{3,64}}, not UUID-shaped) that no other test uses. */
    static String uniqueClientId(String label) {
        return label + "-" + UUID.randomUUID();
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** Creates a user and returns its id. */
    static String createUser(String token, String email, String password, List<String> roles) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        if (password != null) {
            body.put("password", password);
        }
        if (roles != null) {
            body.put("roles", roles);
        }
        Response r = as(token).body(body).post("/admin/api/users");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.path("id");
    }

    static String createRole(String token, String name) {
        Response r = as(token).body(Map.of("name", name)).post("/admin/api/roles");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return name;
    }

    static void addPermission(String token, String role, String type, String context) {
        Response r = as(token).body(Map.of("type", type, "context", context)).post("/admin/api/roles/" + role + "/permissions");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    }

    /** Registers a confidential client_credentials client; returns the whole 201 body (with the secret). */
    static JsonPath createServiceClient(String token, List<String> roles, boolean adminApi) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "admin test service client");
        body.put("redirect_uris", List.of());
        body.put("grant_types", List.of("client_credentials"));
        body.put("roles", roles);
        body.put("admin_api", adminApi);
        Response r = as(token).body(body).post("/admin/api/clients");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath();
    }

    /**
     * The admin API's error contract (SPEC section 9): {@code error} and {@code error_description}
     * always, {@code invalid_request} and the {@code field} for a 400.
     */
    static void assertAdminError(Response r, int status, String field) {
        assertThat(r.statusCode()).as("status of %s", r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        JsonPath body = r.jsonPath();
        assertThat(body.getString("error")).as("error in %s", r.asString()).isNotBlank();
        assertThat(body.getString("error_description")).as("error_description in %s", r.asString()).isNotBlank();
        if (status == 400) {
            assertThat(body.getString("error")).isEqualTo("invalid_request");
        }
        if (field != null) {
            assertThat(body.getString("field")).as("field in %s", r.asString()).isEqualTo(field);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Every object key anywhere in a JSON document. */
    static Set<String> allKeys(String json) {
        Set<String> keys = new HashSet<>();
        collectKeys(tree(json), keys);
        return keys;
    }

    private static void collectKeys(JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                keys.add(f.getKey());
                collectKeys(f.getValue(), keys);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectKeys(child, keys));
        }
    }

    /** Ids of all enabled users that hold {@code admin}, read page by page through the API. */
    static List<String> enabledAdminIds(String token) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification req = as(token).queryParam("limit", 200);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/users");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            List<Map<String, Object>> items = r.jsonPath().getList("items");
            for (Map<String, Object> u : items) {
                if (Boolean.TRUE.equals(u.get("enabled")) && ((List<?>) u.get("roles")).contains("admin")) {
                    ids.add((String) u.get("id"));
                }
            }
            cursor = r.jsonPath().getString("next_cursor");
        } while (cursor != null);
        return ids;
    }

    /**
     * Runs {@code check} while {@code adminId} is the only enabled admin user: every other enabled
     * admin (the bootstrap admin among them) is disabled first and enabled again afterwards, even
     * when the check fails. Test classes run one after another, so nothing else sees the gap.
     */
    static void withOnlyEnabledAdmin(String token, String adminId, Runnable check) {
        List<String> others = new ArrayList<>(enabledAdminIds(token));
        assertThat(others).contains(adminId);
        others.remove(adminId);
        List<String> disabled = new ArrayList<>();
        try {
            for (String other : others) {
                Response r = as(token).body(Map.of("enabled", false)).patch("/admin/api/users/" + other);
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                disabled.add(other);
            }
            assertThat(enabledAdminIds(token)).containsExactly(adminId);
            check.run();
        } finally {
            for (String other : disabled) {
                as(token).body(Map.of("enabled", true)).patch("/admin/api/users/" + other);
            }
        }
    }
}
