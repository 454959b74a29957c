package com.meltano.auth.admin;

import static com.meltano.auth.admin.AdminFixtures.allKeys;
import static com.meltano.auth.admin.AdminFixtures.as;
import static com.meltano.auth.admin.AdminFixtures.assertAdminError;
import static com.meltano.auth.admin.AdminFixtures.createRole;
import static com.meltano.auth.admin.AdminFixtures.createServiceClient;
import static com.meltano.auth.admin.AdminFixtures.uniqueClientId;
import static com.meltano.auth.admin.AdminFixtures.uniqueRole;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** {@code /admin/api/clients} as SPEC section 9 describes it. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminClientsTest {

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    // ---- POST /admin/api/clients

    @Test
    void createClientWhenConfidentialThenSecretOfAtLeast43CharactersShownOnce() {
        Response r = as(admin).body(webClient(null)).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        JsonPath created = r.jsonPath();
        String clientId = created.getString("client_id");
        String secret = created.getString("client_secret");
        assertThat(clientId).matches("[A-Za-z0-9._-]{3,64}");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(created.getString("name")).isEqualTo("Meltano UI");
        assertThat(created.getList("redirect_uris", String.class)).containsExactly("https://ui.example.com/callback");
        assertThat(created.getList("grant_types", String.class)).containsExactlyInAnyOrder("authorization_code", "refresh_token");
        assertThat(created.getString("token_endpoint_auth_method")).isEqualTo("client_secret_basic");

        Response fetched = as(admin).get("/admin/api/clients/" + clientId);
        assertThat(fetched.statusCode()).as(fetched.asString()).isEqualTo(200);
        assertThat(fetched.jsonPath().getString("client_id")).isEqualTo(clientId);
        assertThat(fetched.jsonPath().getString("client_secret")).isNull();
        assertThat(fetched.asString()).doesNotContain(secret);
    }

    @Test
    void createClientWhenTwoClientsThenSecretsDiffer() {
        String first = createServiceClient(admin, List.of(), false).getString("client_secret");
        String second = createServiceClient(admin, List.of(), false).getString("client_secret");

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void createClientWhenServiceClientThenSecretWorksAtTokenEndpoint() {
        JsonPath created = createServiceClient(admin, List.of(), false);

        Response token = given().auth().preemptive().basic(created.getString("client_id"), created.getString("client_secret"))
                .formParam("grant_type", "client_credentials").post("/oauth2/token");

        assertThat(token.statusCode()).as(token.asString()).isEqualTo(200);
        assertThat(token.jsonPath().getString("access_token")).isNotBlank();
    }

    @Test
    void createClientWhenAuthMethodNoneThenPublicClientWithoutSecret() {
        Map<String, Object> body = webClient(null);
        body.put("token_endpoint_auth_method", "none");

        Response r = as(admin).body(body).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("token_endpoint_auth_method")).isEqualTo("none");
        assertThat(r.jsonPath().getString("client_secret")).isNull();
    }

    @Test
    void createClientWhenAuthMethodPostThenKept() {
        Map<String, Object> body = webClient(null);
        body.put("token_endpoint_auth_method", "client_secret_post");

        Response r = as(admin).body(body).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("token_endpoint_auth_method")).isEqualTo("client_secret_post");
        assertThat(r.jsonPath().getString("client_secret")).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void createClientWhenAuthorizationCodeWithoutScopesThenDefaultUserScopes() {
        Response r = as(admin).body(webClient(null)).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getList("scopes", String.class))
                .containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
    }

    @Test
    void createClientWhenClientCredentialsWithoutScopesThenNoScopes() {
        JsonPath created = createServiceClient(admin, List.of(), false);

        assertThat(created.getList("scopes")).isEmpty();
    }

    @Test
    void createClientWhenAdminApiWithEmptyScopesThenAdminScopeIncluded() {
        Map<String, Object> body = serviceClient(null);
        body.put("admin_api", true);
        body.put("scopes", List.of());

        Response r = as(admin).body(body).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getBoolean("admin_api")).isTrue();
        assertThat(r.jsonPath().getList("scopes", String.class)).containsExactly("admin");
    }

    @Test
    void createClientWhenExplicitScopesThenExactlyThose() {
        Map<String, Object> body = webClient(null);
        body.put("scopes", List.of("openid", "email"));

        Response r = as(admin).body(body).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getList("scopes", String.class)).containsExactlyInAnyOrder("openid", "email");
    }

    @Test
    void createClientWhenAllOptionalFieldsThenEchoed() {
        String role = createRole(admin, uniqueRole("client-role"));
        String clientId = uniqueClientId("full");
        Map<String, Object> body = webClient(clientId);
        body.put("post_logout_redirect_uris", List.of("https://ui.example.com/bye"));
        body.put("roles", List.of(role));
        body.put("first_party", true);
        body.put("enabled", true);

        Response r = as(admin).body(body).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        JsonPath c = r.jsonPath();
        assertThat(c.getString("client_id")).isEqualTo(clientId);
        assertThat(c.getList("post_logout_redirect_uris", String.class)).containsExactly("https://ui.example.com/bye");
        assertThat(c.getList("roles", String.class)).containsExactly(role);
        assertThat(c.getBoolean("first_party")).isTrue();
        assertThat(c.getBoolean("enabled")).isTrue();
        assertThat(c.getBoolean("admin_api")).isFalse();
    }

    @Test
    void createClientWhenLoopbackAndPrivateUseRedirectUrisThenAccepted() {
        Map<String, Object> body = webClient(null);
        body.put("redirect_uris", List.of("http://127.0.0.1/cb", "http://localhost:3000/cb", "http://[::1]:8000/cb",
                "com.example.app:/callback"));

        Response r = as(admin).body(body).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getList("redirect_uris", String.class)).hasSize(4);
    }

    @Test
    void createClientWhenClientIdGivenThenUsed() {
        String clientId = uniqueClientId("chosen");

        Response r = as(admin).body(serviceClient(clientId)).post("/admin/api/clients");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("client_id")).isEqualTo(clientId);
        assertThat(as(admin).get("/admin/api/clients/" + clientId).statusCode()).isEqualTo(200);
    }

    @Test
    void createClientWhenClientIdExistsThenConflict() {
        String clientId = uniqueClientId("taken");
        as(admin).body(serviceClient(clientId)).post("/admin/api/clients").then().statusCode(201);

        assertAdminError(as(admin).body(serviceClient(clientId)).post("/admin/api/clients"), 409, null);
    }

    @Test
    void createClientWhenClientIdShapedLikeUuidThenBadRequestNamingClientId() {
        assertAdminError(as(admin).body(serviceClient(UUID.randomUUID().toString())).post("/admin/api/clients"), 400, "client_id");
    }

    @Test
    void createClientWhenClientIdTooShortThenBadRequestNamingClientId() {
        assertAdminError(as(admin).body(serviceClient("ab")).post("/admin/api/clients"), 400, "client_id");
    }

    @Test
    void createClientWhenClientIdTooLongThenBadRequestNamingClientId() {
        assertAdminError(as(admin).body(serviceClient("x".repeat(65))).post("/admin/api/clients"), 400, "client_id");
    }

    @Test
    void createClientWhenClientIdHasForbiddenCharactersThenBadRequestNamingClientId() {
        assertAdminError(as(admin).body(serviceClient("has space")).post("/admin/api/clients"), 400, "client_id");
        assertAdminError(as(admin).body(serviceClient("slash/id")).post("/admin/api/clients"), 400, "client_id");
    }

    @Test
    void createClientWhenClientIdEqualsAudienceThenBadRequestNamingClientId() {
        assertAdminError(as(admin).body(serviceClient("meltano")).post("/admin/api/clients"), 400, "client_id");
    }

    @Test
    void createClientWhenRedirectUriIsPlainHttpThenBadRequestNamingRedirectUrisZero() {
        String clientId = uniqueClientId("plain-http");
        Map<String, Object> body = webClient(clientId);
        body.put("redirect_uris", List.of("http://example.com/cb"));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "redirect_uris[0]");
        assertAdminError(as(admin).get("/admin/api/clients/" + clientId), 404, null);
    }

    @Test
    void createClientWhenSecondRedirectUriHasFragmentThenBadRequestNamingRedirectUrisOne() {
        Map<String, Object> body = webClient(null);
        body.put("redirect_uris", List.of("https://ok.example.com/cb", "https://ok.example.com/cb#frag"));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "redirect_uris[1]");
    }

    @Test
    void createClientWhenRedirectUriHasWildcardThenBadRequestNamingIt() {
        Map<String, Object> body = webClient(null);
        body.put("redirect_uris", List.of("https://*.example.com/cb"));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "redirect_uris[0]");
    }

    @Test
    void createClientWhenRedirectUriIsRelativeOrDotlessCustomSchemeThenBadRequest() {
        Map<String, Object> relative = webClient(null);
        relative.put("redirect_uris", List.of("/callback"));
        assertAdminError(as(admin).body(relative).post("/admin/api/clients"), 400, "redirect_uris[0]");

        Map<String, Object> dotless = webClient(null);
        dotless.put("redirect_uris", List.of("myapp:/callback"));
        assertAdminError(as(admin).body(dotless).post("/admin/api/clients"), 400, "redirect_uris[0]");
    }

    @Test
    void createClientWhenPostLogoutRedirectUriInvalidThenBadRequestNamingIt() {
        Map<String, Object> body = webClient(null);
        body.put("post_logout_redirect_uris", List.of("http://example.com/bye"));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "post_logout_redirect_uris[0]");
    }

    @Test
    void createClientWhenAuthorizationCodeWithoutRedirectUrisThenBadRequestNamingRedirectUris() {
        Map<String, Object> body = webClient(null);
        body.put("redirect_uris", List.of());

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "redirect_uris");
    }

    @Test
    void createClientWhenRoleUnknownThenBadRequestNamingRoleIndexAndNothingWritten() {
        String clientId = uniqueClientId("unknown-role");
        Map<String, Object> body = serviceClient(clientId);
        body.put("roles", List.of("regular", uniqueRole("missing")));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "roles[1]");
        assertAdminError(as(admin).get("/admin/api/clients/" + clientId), 404, null);
    }

    @Test
    void createClientWhenNameMissingThenBadRequestNamingName() {
        Map<String, Object> body = serviceClient(null);
        body.remove("name");

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "name");
    }

    @Test
    void createClientWhenGrantTypesMissingThenBadRequestNamingGrantTypes() {
        Map<String, Object> body = serviceClient(null);
        body.remove("grant_types");

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "grant_types");
    }

    @Test
    void createClientWhenGrantTypeUnsupportedThenBadRequestNamingIndex() {
        Map<String, Object> body = serviceClient(null);
        body.put("grant_types", List.of("client_credentials", "password"));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "grant_types[1]");
    }

    @Test
    void createClientWhenRedirectUrisMissingThenBadRequestNamingRedirectUris() {
        Map<String, Object> body = serviceClient(null);
        body.remove("redirect_uris");

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "redirect_uris");
    }

    @Test
    void createClientWhenAuthMethodUnknownThenBadRequestNamingIt() {
        Map<String, Object> body = serviceClient(null);
        body.put("token_endpoint_auth_method", "private_key_jwt");

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "token_endpoint_auth_method");
    }

    @Test
    void createClientWhenRedirectUrisHasWrongTypeThenBadRequestNamingIt() {
        Map<String, Object> body = serviceClient(null);
        body.put("redirect_uris", Map.of("uri", "https://example.com/cb"));

        assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, "redirect_uris");
    }

    @Test
    void createClientWhenAValueHasAnotherJsonTypeThenBadRequestNamingItInsteadOfConverting() {
        Map<String, Object> wrong = new java.util.LinkedHashMap<>();
        wrong.put("admin_api", "true");
        wrong.put("enabled", 0);
        wrong.put("name", true);
        wrong.put("first_party", "false");
        wrong.put("roles", List.of(true));
        wrong.put("redirect_uris", List.of(123));
        for (Map.Entry<String, Object> w : wrong.entrySet()) {
            Map<String, Object> body = serviceClient(null);
            body.put("name", "coerced-" + w.getKey());
            body.put(w.getKey(), w.getValue());

            String field = w.getValue() instanceof List ? w.getKey() + "[0]" : w.getKey();
            assertAdminError(as(admin).body(body).post("/admin/api/clients"), 400, field);
        }
        assertThat(as(admin).queryParam("limit", 200).get("/admin/api/clients").jsonPath().getList("items.name", String.class))
                .as("no client was created").noneMatch(n -> n.startsWith("coerced-"));
    }

    // ---- GET /admin/api/clients, GET /admin/api/clients/{client_id}

    @Test
    void listClientsWhenPagedThenContainsCreatedClientsOnceAndNoSecrets() {
        JsonPath a = createServiceClient(admin, List.of(), false);
        JsonPath b = createServiceClient(admin, List.of(), true);

        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification req = as(admin).queryParam("limit", 50);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.get("/admin/api/clients");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.jsonPath().getList("items.client_secret")).containsOnlyNulls();
            assertThat(allKeys(r.asString())).doesNotContain("secret_hash");
            assertThat(r.asString()).doesNotContain(a.getString("client_secret")).doesNotContain(b.getString("client_secret"));
            ids.addAll(r.jsonPath().getList("items.client_id", String.class));
            cursor = r.jsonPath().getString("next_cursor");
        } while (cursor != null);

        assertThat(ids).containsOnlyOnce(a.getString("client_id"), b.getString("client_id"), "bootstrap-admin");
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void getClientWhenExistsThenShowsRegistrationWithoutSecret() {
        String role = createRole(admin, uniqueRole("svc"));
        JsonPath created = createServiceClient(admin, List.of(role), true);
        String clientId = created.getString("client_id");

        Response r = as(admin).get("/admin/api/clients/" + clientId);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath c = r.jsonPath();
        assertThat(c.getString("client_id")).isEqualTo(clientId);
        assertThat(c.getList("grant_types", String.class)).containsExactly("client_credentials");
        assertThat(c.getList("roles", String.class)).containsExactly(role);
        assertThat(c.getBoolean("admin_api")).isTrue();
        assertThat(c.getList("scopes", String.class)).containsExactly("admin");
        assertThat(c.getString("client_secret")).isNull();
        assertThat(allKeys(r.asString())).doesNotContain("secret_hash");
        assertThat(r.asString()).doesNotContain(created.getString("client_secret"));
    }

    @Test
    void getAndListClientsWhenFetchedThenNoClientSecretMemberAtAll() {
        JsonPath created = createServiceClient(admin, List.of(), false);
        String clientId = created.getString("client_id");

        Response one = as(admin).get("/admin/api/clients/" + clientId);
        Response list = as(admin).queryParam("limit", 200).get("/admin/api/clients");

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(list.statusCode()).isEqualTo(200);
        // SPEC section 9: the secret appears only in the create response, so the member is absent, not null
        assertThat(allKeys(one.asString())).doesNotContain("client_secret");
        assertThat(allKeys(list.asString())).doesNotContain("client_secret");
    }

    @Test
    void getClientWhenUnknownThenNotFound() {
        assertAdminError(as(admin).get("/admin/api/clients/" + uniqueClientId("missing")), 404, null);
    }

    // ---- PATCH /admin/api/clients/{client_id}

    @Test
    void patchClientWhenNameAndRedirectUrisChangedThenStored() {
        String clientId = createWebClient();

        Map<String, Object> change = Map.of("name", "Renamed UI", "redirect_uris", List.of("https://new.example.com/cb"));
        Response r = as(admin).body(change).patch("/admin/api/clients/" + clientId);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("name")).isEqualTo("Renamed UI");
        JsonPath stored = as(admin).get("/admin/api/clients/" + clientId).jsonPath();
        assertThat(stored.getString("name")).isEqualTo("Renamed UI");
        assertThat(stored.getList("redirect_uris", String.class)).containsExactly("https://new.example.com/cb");
        assertThat(stored.getList("grant_types", String.class)).containsExactlyInAnyOrder("authorization_code", "refresh_token");
        assertThat(r.jsonPath().getString("client_secret")).isNull();
    }

    @Test
    void patchClientWhenRedirectUriInvalidThenBadRequestNamingIndexAndUnchanged() {
        String clientId = createWebClient();

        Map<String, Object> change = Map.of("name", "Should not stick",
                "redirect_uris", List.of("https://fine.example.com/cb", "http://example.com/cb"));
        assertAdminError(as(admin).body(change).patch("/admin/api/clients/" + clientId), 400, "redirect_uris[1]");

        JsonPath stored = as(admin).get("/admin/api/clients/" + clientId).jsonPath();
        assertThat(stored.getString("name")).isEqualTo("Meltano UI");
        assertThat(stored.getList("redirect_uris", String.class)).containsExactly("https://ui.example.com/callback");
    }

    @Test
    void patchClientWhenRolesReplacedThenClientHoldsThem() {
        String role = createRole(admin, uniqueRole("patched"));
        String clientId = createServiceClient(admin, List.of("regular"), false).getString("client_id");

        Response r = as(admin).body(Map.of("roles", List.of(role))).patch("/admin/api/clients/" + clientId);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(as(admin).get("/admin/api/clients/" + clientId).jsonPath().getList("roles", String.class)).containsExactly(role);
    }

    @Test
    void patchClientWhenRoleUnknownThenBadRequestNamingRoleIndexAndUnchanged() {
        String clientId = createServiceClient(admin, List.of("regular"), false).getString("client_id");

        assertAdminError(as(admin).body(Map.of("roles", List.of(uniqueRole("missing")))).patch("/admin/api/clients/" + clientId),
                400, "roles[0]");
        assertThat(as(admin).get("/admin/api/clients/" + clientId).jsonPath().getList("roles", String.class)).containsExactly("regular");
    }

    @Test
    void patchClientWhenAdminApiTurnedOnThenAdminScopeAddedAndOffThenRemoved() {
        String clientId = createServiceClient(admin, List.of(), false).getString("client_id");

        Response on = as(admin).body(Map.of("admin_api", true)).patch("/admin/api/clients/" + clientId);
        assertThat(on.statusCode()).as(on.asString()).isEqualTo(200);
        assertThat(on.jsonPath().getList("scopes", String.class)).containsExactly("admin");

        Response off = as(admin).body(Map.of("admin_api", false)).patch("/admin/api/clients/" + clientId);
        assertThat(off.statusCode()).as(off.asString()).isEqualTo(200);
        assertThat(off.jsonPath().getList("scopes", String.class)).doesNotContain("admin");
    }

    @Test
    void patchClientWhenDisabledThenTokenEndpointRefusesIt() {
        JsonPath created = createServiceClient(admin, List.of(), false);
        String clientId = created.getString("client_id");

        Response r = as(admin).body(Map.of("enabled", false)).patch("/admin/api/clients/" + clientId);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("enabled")).isFalse();
        Response token = given().auth().preemptive().basic(clientId, created.getString("client_secret"))
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
        assertThat(token.statusCode()).isEqualTo(401);
        assertThat(token.jsonPath().getString("error")).isEqualTo("invalid_client");
    }

    @Test
    void patchClientWhenMadePublicThenItsSecretStopsWorkingAndItsGrantsAreRevoked() {
        Browser.Client client = Browser.webClient(true);
        String email = Browser.uniqueEmail("made-public");
        Browser.createUser(email, Browser.PASSWORD);
        Browser.Tokens tokens = Browser.exchange(client,
                new Browser().signIn(client.id(), client.redirectUri(), "openid offline_access", email, Browser.PASSWORD));

        Response r = as(admin).body(Map.of("token_endpoint_auth_method", "none")).patch("/admin/api/clients/" + client.id());

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("token_endpoint_auth_method")).isEqualTo("none");
        assertThat(r.jsonPath().getString("client_secret")).isNull();
        Response withOldSecret = given().auth().preemptive().basic(client.id(), client.secret()).formParam("token", "x")
                .post("/oauth2/revoke");
        assertThat(withOldSecret.statusCode()).as("a public client has no secret to present").isEqualTo(401);
        Browser.Client asPublic = new Browser.Client(client.id(), null, client.redirectUri(), client.postLogoutRedirectUri());
        Response refreshed = Browser.refresh(asPublic, tokens.refreshToken());
        assertThat(refreshed.statusCode()).as("a refresh token issued to the confidential client: %s", refreshed.asString())
                .isEqualTo(400);
        assertThat(refreshed.jsonPath().getString("error")).isEqualTo("invalid_grant");
    }

    @Test
    void patchClientWhenMadeConfidentialThenItsSecretIsShownOnceAndRequired() {
        Map<String, Object> body = webClient(null);
        body.put("token_endpoint_auth_method", "none");
        String clientId = as(admin).body(body).post("/admin/api/clients").jsonPath().getString("client_id");

        Response r = as(admin).body(Map.of("token_endpoint_auth_method", "client_secret_basic")).patch("/admin/api/clients/" + clientId);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        String secret = r.jsonPath().getString("client_secret");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        Response fetched = as(admin).get("/admin/api/clients/" + clientId);
        assertThat(fetched.jsonPath().getString("token_endpoint_auth_method")).isEqualTo("client_secret_basic");
        assertThat(fetched.asString()).doesNotContain(secret);
        Response byIdAlone = given().formParam("client_id", clientId).formParam("token", "x").post("/oauth2/revoke");
        assertThat(byIdAlone.statusCode()).as("confidential now: the id alone is not enough").isEqualTo(401);
        Response withSecret = given().auth().preemptive().basic(clientId, secret).formParam("token", "x").post("/oauth2/revoke");
        assertThat(withSecret.statusCode()).as(withSecret.asString()).isEqualTo(200);
    }

    @Test
    void patchClientWhenClientIdChangedThenBadRequestNamingClientId() {
        String clientId = createServiceClient(admin, List.of(), false).getString("client_id");

        assertAdminError(as(admin).body(Map.of("client_id", uniqueClientId("other"))).patch("/admin/api/clients/" + clientId),
                400, "client_id");
        assertThat(as(admin).get("/admin/api/clients/" + clientId).statusCode()).isEqualTo(200);
    }

    @Test
    void patchClientWhenUnknownThenNotFound() {
        assertAdminError(as(admin).body(Map.of("name", "x")).patch("/admin/api/clients/" + uniqueClientId("missing")), 404, null);
    }

    // ---- DELETE /admin/api/clients/{client_id}

    @Test
    void deleteClientWhenExistsThenNoContentGoneAndSecretRefused() {
        JsonPath created = createServiceClient(admin, List.of(), false);
        String clientId = created.getString("client_id");

        Response r = as(admin).delete("/admin/api/clients/" + clientId);

        assertThat(r.statusCode()).isEqualTo(204);
        assertAdminError(as(admin).get("/admin/api/clients/" + clientId), 404, null);
        Response token = given().auth().preemptive().basic(clientId, created.getString("client_secret"))
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
        assertThat(token.statusCode()).isEqualTo(401);
        assertThat(token.jsonPath().getString("error")).isEqualTo("invalid_client");
    }

    @Test
    void deleteClientWhenUnknownThenNotFound() {
        assertAdminError(as(admin).delete("/admin/api/clients/" + uniqueClientId("missing")), 404, null);
    }

    // ---- POST /admin/api/clients/{client_id}/secret

    @Test
    void rotateSecretWhenConfidentialThenNewSecretWorksAndOldIsRefused() {
        JsonPath created = createServiceClient(admin, List.of(), false);
        String clientId = created.getString("client_id");
        String oldSecret = created.getString("client_secret");

        Response r = as(admin).post("/admin/api/clients/" + clientId + "/secret");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        String newSecret = r.jsonPath().getString("client_secret");
        assertThat(newSecret).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(oldSecret);
        Response old = given().auth().preemptive().basic(clientId, oldSecret)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.jsonPath().getString("error")).isEqualTo("invalid_client");
        Response fresh = given().auth().preemptive().basic(clientId, newSecret)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
        assertThat(fresh.statusCode()).as(fresh.asString()).isEqualTo(200);
        assertThat(as(admin).get("/admin/api/clients/" + clientId).asString()).doesNotContain(newSecret);
    }

    @Test
    void rotateSecretWhenUnknownThenNotFound() {
        assertAdminError(as(admin).post("/admin/api/clients/" + uniqueClientId("missing") + "/secret"), 404, null);
    }

    // ---- helpers

    /** An authorization-code client body; {@code clientId} null lets the server choose. */
    private static Map<String, Object> webClient(String clientId) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        body.put("name", "Meltano UI");
        body.put("redirect_uris", List.of("https://ui.example.com/callback"));
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        return body;
    }

    private static Map<String, Object> serviceClient(String clientId) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        body.put("name", "Service");
        body.put("redirect_uris", List.of());
        body.put("grant_types", List.of("client_credentials"));
        return body;
    }

    private String createWebClient() {
        Response r = as(admin).body(webClient(null)).post("/admin/api/clients");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath().getString("client_id");
    }
}
