package com.meltano.auth.admin;

import static com.meltano.auth.admin.AdminFixtures.JSON;
import static com.meltano.auth.admin.AdminFixtures.addPermission;
import static com.meltano.auth.admin.AdminFixtures.as;
import static com.meltano.auth.admin.AdminFixtures.assertAdminError;
import static com.meltano.auth.admin.AdminFixtures.createRole;
import static com.meltano.auth.admin.AdminFixtures.createServiceClient;
import static com.meltano.auth.admin.AdminFixtures.uniqueEmail;
import static com.meltano.auth.admin.AdminFixtures.uniqueRole;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.meltano.auth.keys.SigningKeys;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Who may call the admin API (SPEC section 9): a verified, unrevoked {@code at+jwt} of this server
 * (else 401), with the {@code admin} scope and a subject that holds the admin right at the time of
 * the call, read from the database (else 403).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminAccessTest {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    /** The in-process key ring, used only to sign look-alike tokens with the server's real key. */
    @Inject
    SigningKeys signingKeys;

    @TestHTTPResource("/")
    URL base;

    String admin;

    @BeforeEach
    void adminToken() {
        admin = Api.adminToken();
    }

    // ---- 401: no valid token of this server

    @Test
    void adminApiWhenNoAuthorizationHeaderThenUnauthorizedWithBearerChallenge() {
        Response r = given().get("/admin/api/users");

        assertAdminError(r, 401, null);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void adminApiWhenNoTokenThenEveryRouteIsUnauthorized() {
        assertAdminError(given().get("/admin/api/roles"), 401, null);
        assertAdminError(given().get("/admin/api/clients"), 401, null);
        assertAdminError(given().get("/admin/api/audit"), 401, null);
        assertAdminError(given().contentType("application/json").body(Map.of("email", uniqueEmail("anon")))
                .post("/admin/api/users"), 401, null);
        assertAdminError(given().delete("/admin/api/roles/regular"), 401, null);
    }

    @Test
    void createUserWhenNoTokenThenNothingIsWritten() {
        String email = uniqueEmail("anon-write");

        given().contentType("application/json").body(Map.of("email", email)).post("/admin/api/users").then().statusCode(401);

        assertThat(as(admin).queryParam("email", email).get("/admin/api/users").jsonPath().getList("items")).isEmpty();
    }

    @Test
    void adminApiWhenGarbageTokenThenUnauthorized() {
        assertAdminError(withBearer("not-a-jwt"), 401, null);
        assertAdminError(withBearer("a.b.c"), 401, null);
    }

    @Test
    void adminApiWhenBasicCredentialsInsteadOfBearerThenUnauthorized() {
        Response r = given().auth().preemptive().basic(TestData.ADMIN_CLIENT_ID, TestData.ADMIN_CLIENT_SECRET)
                .get("/admin/api/users");

        assertAdminError(r, 401, null);
    }

    @Test
    void adminApiWhenTokenSignedByAnotherKeyWithTheRealKidThenUnauthorized() throws Exception {
        SignedJWT real = SignedJWT.parse(admin);
        String kid = real.getHeader().getKeyID();
        List<String> publishedKids = given().get("/oauth2/jwks").jsonPath().getList("keys.kid", String.class);
        assertThat(publishedKids).contains(kid);
        RSAKey foreign = new RSAKeyGenerator(2048).keyID(kid).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("at+jwt")).keyID(kid).build(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(foreign));

        assertAdminError(withBearer(forged.serialize()), 401, null);
    }

    @Test
    void adminApiWhenTokenSignedByAnotherKeyWithUnknownKidThenUnauthorized() throws Exception {
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("attacker-key").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("at+jwt")).keyID("attacker-key").build(), SignedJWT.parse(admin).getJWTClaimsSet());
        forged.sign(new RSASSASigner(foreign));

        assertAdminError(withBearer(forged.serialize()), 401, null);
    }

    @Test
    void adminApiWhenPayloadTamperedToPointAtAnAdminGrantThenUnauthorized() throws Exception {
        // a service client without the admin right: its own token gets 403 ...
        JsonPath weak = createServiceClient(admin, List.of("regular"), true);
        String weakToken = Api.token(weak.getString("client_id"), weak.getString("client_secret"), null);
        assertAdminError(withBearer(weakToken), 403, null);
        // ... and rewriting its payload to claim the bootstrap admin's grant must not help
        Map<String, Object> adminClaims = payload(admin);
        Map<String, Object> claims = payload(weakToken);
        claims.put("sub", adminClaims.get("sub"));
        claims.put("client_id", adminClaims.get("client_id"));
        claims.put("jti", adminClaims.get("jti"));
        claims.put("roles", List.of("admin"));
        String[] parts = weakToken.split("\\.");
        String tampered = parts[0] + "." + encode(claims) + "." + parts[2];

        assertAdminError(withBearer(tampered), 401, null);
    }

    @Test
    void adminApiWhenSignatureAlteredThenUnauthorized() {
        String[] parts = admin.split("\\.");
        byte[] signature = B64URL_DECODER.decode(parts[2]);
        signature[signature.length / 2] ^= 0x01;

        assertAdminError(withBearer(parts[0] + "." + parts[1] + "." + B64URL.encodeToString(signature)), 401, null);
    }

    @Test
    void adminApiWhenAlgNoneThenUnauthorized() throws Exception {
        String kid = SignedJWT.parse(admin).getHeader().getKeyID();
        String header = B64URL.encodeToString(("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String unsigned = header + "." + admin.split("\\.")[1] + ".";

        assertAdminError(withBearer(unsigned), 401, null);
    }

    @Test
    void adminApiWhenIdTokenTypedJwtSignedByTheRealKeyThenUnauthorized() throws Exception {
        // SPEC section 7: an ID token (typ JWT) is not an access token, whatever it carries
        String idTokenLike = signWithServerKey("JWT", payload(admin));

        assertAdminError(withBearer(idTokenLike), 401, null);
    }

    @Test
    void adminApiWhenRealKeySignsSameClaimsAsAccessTokenThenAllowed() throws Exception {
        // control for the look-alike tests: the same signing path with typ at+jwt is accepted
        String copy = signWithServerKey("at+jwt", payload(admin));

        assertThat(withBearer(copy).statusCode()).isEqualTo(200);
    }

    @Test
    void adminApiWhenExpiredTokenSignedByTheRealKeyThenUnauthorized() throws Exception {
        Map<String, Object> claims = payload(admin);
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 3600);
        claims.put("exp", now - 1800);

        assertAdminError(withBearer(signWithServerKey("at+jwt", claims)), 401, null);
    }

    @Test
    void adminApiWhenOtherIssuerOrAudienceSignedByTheRealKeyThenUnauthorized() throws Exception {
        Map<String, Object> otherIssuer = payload(admin);
        otherIssuer.put("iss", "https://evil.example.com");
        assertAdminError(withBearer(signWithServerKey("at+jwt", otherIssuer)), 401, null);

        Map<String, Object> otherAudience = payload(admin);
        otherAudience.put("aud", List.of("some-other-api"));
        assertAdminError(withBearer(signWithServerKey("at+jwt", otherAudience)), 401, null);
    }

    @Test
    void adminApiWhenTokenInQueryParameterInsteadOfHeaderThenUnauthorized() {
        Response r = given().queryParam("access_token", admin).get("/admin/api/roles");

        assertAdminError(r, 401, null);
    }

    @Test
    void adminApiWhenPathSpelledDifferentlyThenStillGuarded() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("//admin/api/users", "/admin//api/users", "/admin/api//users", "/admin/./api/users",
                "/x/../admin/api/users", "/admin/%61pi/users", "/admin/api/users/", "/admin/api/users;x=1")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s without a token: %s", path, r.body()).isIn(400, 401, 404);
            assertThat(r.body()).as("GET %s without a token", path).doesNotContain("\"items\"");
        }
    }

    // ---- 403: a valid token, but no admin scope or no admin right

    @Test
    void adminApiWhenAdminApiClientWithoutAdminRightThenForbidden() throws Exception {
        JsonPath client = createServiceClient(admin, List.of("regular"), true);
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("admin");

        assertAdminError(withBearer(token), 403, null);
        assertAdminError(as(token).body(Map.of("email", uniqueEmail("forbidden"))).post("/admin/api/users"), 403, null);
    }

    @Test
    void adminApiWhenTokenLacksAdminScopeThenForbiddenWithInsufficientScope() {
        // RFC 6750 section 3.1, as Keycloak and Hydra answer: a missing scope is insufficient_scope
        JsonPath client = createServiceClient(admin, List.of("admin"), false);
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);

        Response r = withBearer(token);

        assertAdminError(r, 403, null);
        assertThat(r.jsonPath().getString("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void adminApiWhenAdminRoleClientWithoutAdminApiThenTokenLacksAdminScopeAndForbidden() throws Exception {
        JsonPath client = createServiceClient(admin, List.of("admin"), false);
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("roles")).contains("admin");
        assertThat(claims.getStringClaim("scope")).doesNotContain("admin");

        assertAdminError(withBearer(token), 403, null);
    }

    @Test
    void adminApiWhenAdminClientRequestsTokenWithoutAdminScopeThenForbidden() throws Exception {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        // unknown scope values are dropped (SPEC section 4): the grant ends up without admin
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), "reports:read");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("scope")).isEmpty();

        assertAdminError(withBearer(token), 403, null);
        String withScope = Api.token(client.getString("client_id"), client.getString("client_secret"), "admin");
        assertThat(withBearer(withScope).statusCode()).isEqualTo(200);
    }

    @Test
    void adminApiWhenClientHoldsModifyAclOnEveryContextThenAllowed() {
        String role = createRole(admin, uniqueRole("acl-admin"));
        addPermission(admin, role, "modify:acl", "*");
        JsonPath client = createServiceClient(admin, List.of(role), true);

        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);

        assertThat(withBearer(token).statusCode()).isEqualTo(200);
    }

    @Test
    void adminApiWhenClientHoldsModifyPatternOnEveryContextThenAllowed() {
        String role = createRole(admin, uniqueRole("acl-pattern"));
        addPermission(admin, role, "modify:*", "*");
        JsonPath client = createServiceClient(admin, List.of(role), true);

        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);

        assertThat(withBearer(token).statusCode()).isEqualTo(200);
    }

    @Test
    void adminApiWhenClientHoldsModifyAclOnNarrowContextThenForbidden() {
        String role = createRole(admin, uniqueRole("acl-narrow"));
        addPermission(admin, role, "modify:acl", "finance.*");
        addPermission(admin, role, "view:design", "*");
        JsonPath client = createServiceClient(admin, List.of(role), true);

        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);

        assertAdminError(withBearer(token), 403, null);
    }

    // ---- rights are read at the time of the call

    @Test
    void adminApiWhenAdminRoleRemovedFromClientThenEarlierTokenForbiddenAtOnce() {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        String clientId = client.getString("client_id");
        String token = Api.token(clientId, client.getString("client_secret"), null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        Response patch = as(admin).body(Map.of("roles", List.of())).patch("/admin/api/clients/" + clientId);
        assertThat(patch.statusCode()).as(patch.asString()).isEqualTo(200);

        assertAdminError(withBearer(token), 403, null);
    }

    @Test
    void adminApiWhenModifyAclPermissionRemovedFromRoleThenEarlierTokenForbiddenAtOnce() {
        String role = createRole(admin, uniqueRole("acl-revoked"));
        addPermission(admin, role, "modify:acl", "*");
        JsonPath client = createServiceClient(admin, List.of(role), true);
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        as(admin).queryParam("type", "modify:acl").queryParam("context", "*")
                .delete("/admin/api/roles/" + role + "/permissions").then().statusCode(204);

        assertAdminError(withBearer(token), 403, null);
    }

    @Test
    void adminApiWhenRoleOfClientDeletedThenEarlierTokenForbiddenAtOnce() {
        String role = createRole(admin, uniqueRole("acl-deleted"));
        addPermission(admin, role, "modify:acl", "*");
        JsonPath client = createServiceClient(admin, List.of(role), true);
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        as(admin).delete("/admin/api/roles/" + role).then().statusCode(204);

        assertAdminError(withBearer(token), 403, null);
    }

    @Test
    void adminApiWhenAdminApiSwitchedOffForClientThenEarlierTokenRefused() {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        String clientId = client.getString("client_id");
        String token = Api.token(clientId, client.getString("client_secret"), null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        as(admin).body(Map.of("admin_api", false)).patch("/admin/api/clients/" + clientId).then().statusCode(200);

        Response r = withBearer(token);
        assertThat(r.statusCode()).isIn(401, 403);
        assertAdminError(r, r.statusCode(), null);
    }

    @Test
    void adminApiWhenClientDisabledThenEarlierTokenUnauthorized() {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        String clientId = client.getString("client_id");
        String token = Api.token(clientId, client.getString("client_secret"), null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        as(admin).body(Map.of("enabled", false)).patch("/admin/api/clients/" + clientId).then().statusCode(200);

        assertAdminError(withBearer(token), 401, null);
    }

    @Test
    void adminApiWhenClientSecretRotatedThenEarlierTokenUnauthorizedOldSecretRefusedNewSecretWorks() {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        String clientId = client.getString("client_id");
        String oldSecret = client.getString("client_secret");
        String token = Api.token(clientId, oldSecret, null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        Response rotated = as(admin).post("/admin/api/clients/" + clientId + "/secret");
        assertThat(rotated.statusCode()).as(rotated.asString()).isEqualTo(201);
        String newSecret = rotated.jsonPath().getString("client_secret");

        assertAdminError(withBearer(token), 401, null);
        Response old = given().auth().preemptive().basic(clientId, oldSecret)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.jsonPath().getString("error")).isEqualTo("invalid_client");
        String fresh = Api.token(clientId, newSecret, null);
        assertThat(withBearer(fresh).statusCode()).isEqualTo(200);
    }

    @Test
    void adminApiWhenClientDeletedThenEarlierTokenUnauthorized() {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        String clientId = client.getString("client_id");
        String token = Api.token(clientId, client.getString("client_secret"), null);
        assertThat(withBearer(token).statusCode()).isEqualTo(200);

        as(admin).delete("/admin/api/clients/" + clientId).then().statusCode(204);

        assertAdminError(withBearer(token), 401, null);
    }

    @Test
    void adminApiWhenCallerIsAdminClientThenItCanManageUsersEndToEnd() {
        JsonPath client = createServiceClient(admin, List.of("admin"), true);
        String token = Api.token(client.getString("client_id"), client.getString("client_secret"), null);

        Response created = as(token).body(Map.of("email", uniqueEmail("by-second-admin"))).post("/admin/api/users");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    }

    // ---- the OpenAPI document

    @Test
    void openApiWhenRequestedThenDescribesTheAdminApi() {
        Response r = given().get("/q/openapi");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.asString()).contains("/admin/api/users", "/admin/api/roles", "/admin/api/clients", "/admin/api/audit");
    }

    // ---- helpers

    private static Response withBearer(String token) {
        return given().header("Authorization", "Bearer " + token).get("/admin/api/roles");
    }

    private static Map<String, Object> payload(String jwt) throws Exception {
        byte[] json = B64URL_DECODER.decode(jwt.split("\\.")[1]);
        return new LinkedHashMap<>(JSON.readValue(json, new TypeReference<Map<String, Object>>() { }));
    }

    private static String encode(Map<String, Object> claims) throws Exception {
        return B64URL.encodeToString(JSON.writeValueAsBytes(claims));
    }

    /** Signs {@code claims} with the server's real key of the admin token's {@code kid}, under the given {@code typ}. */
    private String signWithServerKey(String typ, Map<String, Object> claims) throws Exception {
        String kid = SignedJWT.parse(admin).getHeader().getKeyID();
        return signingKeys.byKid(kid).orElseThrow().sign(typ, JSON.writeValueAsBytes(claims));
    }
}
