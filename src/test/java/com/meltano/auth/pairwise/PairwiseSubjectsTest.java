package com.meltano.auth.pairwise;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.meltano.auth.keys.KeyEncryption;
import com.meltano.auth.keys.KeyEncryptionKey;
import com.meltano.auth.login.Browser;
import com.meltano.auth.login.Browser.Client;
import com.meltano.auth.login.Browser.Tokens;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;
import com.meltano.auth.support.PostgresTestResource;
import com.meltano.auth.support.TestData;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Pairwise subjects (SPEC section 12, OpenID Connect Core section 8), end to end over HTTP: real
 * sign-ins, tokens verified by Nimbus against the JWKS (never the server's classes), the same
 * {@code sub} in access and ID tokens, userinfo and introspection; the same within a sector and
 * across sign-ins and refreshes, different across sectors; the way back for the admin API; erasure.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PairwiseSubjectsTest {

    private static final String ISSUER = "http://localhost:8080";
    private static final String SCOPE = "openid email offline_access";

    @Inject
    DataSource ds;

    /** A person with an account, and what one sign-in to one client gave them. */
    record Person(String id, String email) {
    }

    record Session(Browser browser, Browser.SignIn signIn, Tokens tokens) {
    }

    // ---- the sub each client sees ------------------------------------------------------------

    @Test
    void subWhenTwoClientsShareASectorThenSameSubAcrossClientsSignInsAndRefreshes() throws Exception {
        String sector = uniqueSector();
        Client a = pairwise(sector);
        Client b = pairwise(sector);
        Person p = person();

        Session first = signIn(p, a);
        String sub = verifyAccessToken(first.tokens().accessToken()).getSubject();
        Session again = signIn(p, a);
        Tokens refreshed = Browser.refreshed(a, first.tokens().refreshToken());
        Session other = signIn(p, b);

        assertThat(verifyIdToken(first.tokens().idToken(), a.id()).getSubject()).isEqualTo(sub);
        assertThat(verifyAccessToken(again.tokens().accessToken()).getSubject()).as("a second sign-in").isEqualTo(sub);
        assertThat(verifyAccessToken(refreshed.accessToken()).getSubject()).as("after a refresh").isEqualTo(sub);
        assertThat(verifyAccessToken(other.tokens().accessToken()).getSubject()).as("another client of the sector").isEqualTo(sub);
        assertThat(verifyIdToken(other.tokens().idToken(), b.id()).getSubject()).isEqualTo(sub);
        assertThat(sub).as("unpadded base64url of 32 bytes, not the user id").matches("[A-Za-z0-9_-]{43}")
                .doesNotContain(p.id()).doesNotContain(p.id().replace("-", ""));
    }

    @Test
    void subWhenSectorsDifferThenSubsDifferAndAPublicClientStillSeesTheUserId() throws Exception {
        Person p = person();
        Client one = pairwise(uniqueSector());
        Client two = pairwise(uniqueSector());
        Client plain = Browser.webClient(true);

        String subOne = verifyAccessToken(signIn(p, one).tokens().accessToken()).getSubject();
        String subTwo = verifyAccessToken(signIn(p, two).tokens().accessToken()).getSubject();
        Tokens publicTokens = signIn(p, plain).tokens();

        assertThat(subOne).isNotEqualTo(subTwo);
        assertThat(verifyAccessToken(publicTokens.accessToken()).getSubject()).isEqualTo(p.id());
        assertThat(verifyIdToken(publicTokens.idToken(), plain.id()).getSubject()).isEqualTo(p.id());
        assertThat(userinfo(publicTokens.accessToken()).jsonPath().getString("sub")).isEqualTo(p.id());
    }

    @Test
    void subWhenDefaultSectorThenSameAsClientNamingItsRedirectHostAsSector() throws Exception {
        String host = uniqueSector();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("first_party", true);
        fields.put("subject_type", "pairwise");
        fields.put("redirect_uris", List.of("https://" + host + "/callback", "https://" + host + "/other"));
        fields.put("post_logout_redirect_uris", List.of());
        Client byDefault = Browser.registerClient(fields);
        Client named = pairwise(host);
        Person p = person();

        Response registered = Api.admin().get("/admin/api/clients/" + byDefault.id());

        assertThat(registered.jsonPath().getString("subject_type")).isEqualTo("pairwise");
        assertThat(registered.jsonPath().getString("sector_identifier")).isEqualTo(host);
        assertThat(verifyAccessToken(signIn(p, byDefault).tokens().accessToken()).getSubject())
                .isEqualTo(verifyAccessToken(signIn(p, named).tokens().accessToken()).getSubject());
    }

    @Test
    void userinfoAndIntrospectionWhenPairwiseThenAgreeWithTheAccessToken() throws Exception {
        Client client = pairwise(uniqueSector());
        Client resourceServer = Browser.webClient(true);
        Person p = person();
        Tokens t = signIn(p, client).tokens();
        String sub = verifyAccessToken(t.accessToken()).getSubject();

        Response info = userinfo(t.accessToken());
        Response access = introspect(resourceServer, t.accessToken());
        Response refresh = introspect(client, t.refreshToken());

        assertThat(info.statusCode()).as(info.asString()).isEqualTo(200);
        assertThat(info.jsonPath().getString("sub")).isEqualTo(sub);
        assertThat(info.jsonPath().getString("email")).isEqualTo(p.email());
        assertThat(access.jsonPath().getBoolean("active")).as(access.asString()).isTrue();
        assertThat(access.jsonPath().getString("sub")).isEqualTo(sub);
        assertThat(refresh.jsonPath().getBoolean("active")).as(refresh.asString()).isTrue();
        assertThat(refresh.jsonPath().getString("sub")).isEqualTo(sub);
    }

    @Test
    void subWhenRecomputedThenOnlyTheRandomKeyStoredUnderTheKeyEncryptionKeyGivesIt() throws Exception {
        String sector = uniqueSector();
        Client client = pairwise(sector);
        Person p = person();
        String sub = verifyAccessToken(signIn(p, client).tokens().accessToken()).getSubject();
        byte[] message = message(sector, UUID.fromString(p.id()));

        Map<String, Object> row = Database.rows(ds, "select key_material, kek_id from secret_key where name = 'pairwise-subject-hmac'")
                .get(0);
        KeyEncryption kek = new KeyEncryption(KeyEncryptionKey.parse(TestData.KEK), Optional.empty());
        byte[] key = kek.decrypt((String) row.get("kek_id"), (byte[]) row.get("key_material"), "pairwise-subject-hmac");

        assertThat(key).hasSize(32);
        assertThat((byte[]) row.get("key_material")).as("stored wrapped, never as it is").isNotEqualTo(key);
        assertThat(key).as("random, not derived from the key-encryption key").isNotEqualTo(kek.derive("pairwise-subject-hmac"));
        assertThat(b64(hmac(key, message))).as("HMAC-SHA-256 of (sector, user id) under the stored key").isEqualTo(sub);
        assertThat(b64(MessageDigest.getInstance("SHA-256").digest(message))).as("no unkeyed hash gives it").isNotEqualTo(sub);
        assertThat(b64(hmac(Base64.getDecoder().decode(TestData.KEK), message))).as("nor the key-encryption key").isNotEqualTo(sub);
    }

    @Test
    void clientCredentialsWhenPairwiseClientThenSubIsStillItsClientId() throws Exception {
        Response service = register(Map.of("subject_type", "pairwise", "sector_identifier", uniqueSector(),
                "grant_types", List.of("client_credentials"), "redirect_uris", List.of()));
        assertThat(service.statusCode()).as(service.asString()).isEqualTo(201);
        String clientId = service.path("client_id");

        String token = Api.token(clientId, service.path("client_secret"), null);

        assertThat(verifyAccessToken(token).getSubject()).isEqualTo(clientId);
    }

    // ---- what reads a sub back ---------------------------------------------------------------

    @Test
    void logoutWhenPairwiseIdTokenHintMatchesTheSessionThenSignedOutWithoutAsking() {
        Client client = pairwise(uniqueSector());
        Person p = person();
        Session s = signIn(p, client);

        Response r = s.browser().get("/logout", Map.of("id_token_hint", s.tokens().idToken(),
                "post_logout_redirect_uri", client.postLogoutRedirectUri(), "state", "bye"));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith(client.postLogoutRedirectUri() + "?");
        assertThat(Browser.withSession(s.signIn().session()).get("/account").statusCode()).as("the session is over").isEqualTo(303);
    }

    @Test
    void adminApiWhenUserTokenOfPairwiseAdminClientThenAllowedAndAuditedUnderTheUserId() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("first_party", true);
        fields.put("admin_api", true);
        fields.put("subject_type", "pairwise");
        fields.put("sector_identifier", uniqueSector());
        Client console = Browser.registerClient(fields);
        String email = Browser.uniqueEmail("pairwise-admin");
        Response created = Api.admin().body(Map.of("email", email, "password", Browser.PASSWORD, "roles", List.of("admin")))
                .post("/admin/api/users");
        String userId = created.path("id");
        Browser.SignIn signIn = new Browser().signIn(console.id(), console.redirectUri(), "openid admin", email, Browser.PASSWORD);
        String token = Browser.exchange(console, signIn).accessToken();
        String role = "pw-" + UUID.randomUUID().toString().substring(0, 8);

        Response r = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("name", role)).post("/admin/api/roles");

        assertThat(verifyAccessToken(token).getSubject()).isNotEqualTo(userId);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(Database.rows(ds, "select actor from audit_event where action = 'role.created' and target = ?", role))
                .extracting(m -> m.get("actor")).containsExactly(userId);
        Api.admin().delete("/admin/api/users/" + userId).then().statusCode(204); // no extra admin for later tests
    }

    // ---- the way back: GET /admin/api/users?sub=&client_id= -----------------------------------

    @Test
    void adminLookupWhenSubAndClientGivenThenTheUserBehindItForEveryClientOfTheSectorOnly() throws Exception {
        String sector = uniqueSector();
        Client a = pairwise(sector);
        Client b = pairwise(sector);
        Client elsewhere = pairwise(uniqueSector());
        Person p = person();
        Person stranger = person();
        String sub = verifyAccessToken(signIn(p, a).tokens().accessToken()).getSubject();
        signIn(stranger, a);

        assertThat(lookup(sub, a.id())).extracting(m -> m.get("id")).containsExactly(p.id());
        assertThat(lookup(sub, a.id())).extracting(m -> m.get("email")).containsExactly(p.email());
        assertThat(lookup(sub, b.id())).as("the same sector").extracting(m -> m.get("id")).containsExactly(p.id());
        assertThat(lookup(sub, elsewhere.id())).as("another sector").isEmpty();
        assertThat(lookup("x".repeat(43), a.id())).as("a sub never issued").isEmpty();
    }

    @Test
    void adminLookupWhenPublicClientThenTheUserWithThatId() {
        Client plain = Browser.webClient(true);
        Person p = person();

        assertThat(lookup(p.id(), plain.id())).extracting(m -> m.get("id")).containsExactly(p.id());
        assertThat(lookup(UUID.randomUUID().toString(), plain.id())).isEmpty();
        assertThat(lookup("not-a-user-id", plain.id())).isEmpty();
    }

    @Test
    void adminLookupWhenClientUnknownOrOnlyOneOfSubAndClientIdThenInvalidRequestNamingTheField() {
        Client client = pairwise(uniqueSector());

        assertInvalid(Api.admin().queryParam("sub", "abc").queryParam("client_id", "no-such-client").get("/admin/api/users"),
                "client_id");
        assertInvalid(Api.admin().queryParam("sub", "abc").get("/admin/api/users"), "client_id");
        assertInvalid(Api.admin().queryParam("client_id", client.id()).get("/admin/api/users"), "sub");
    }

    @Test
    void eraseWhenUserHadPairwiseSubsThenExportedBeforeAndNoRowNorLookupAfter() throws Exception {
        String sector = uniqueSector();
        Client client = pairwise(sector);
        Person p = person();
        String sub = verifyAccessToken(signIn(p, client).tokens().accessToken()).getSubject();
        Response export = Api.admin().get("/admin/api/users/" + p.id() + "/export");

        Response erased = Api.admin().delete("/admin/api/users/" + p.id());

        assertThat(export.jsonPath().getList("pairwise_subjects")).containsExactly(Map.of("sector", sector, "sub", sub));
        assertThat(erased.statusCode()).as(erased.asString()).isEqualTo(204);
        assertThat(Database.count(ds, "select count(*) from pairwise_subject where user_id = ?", UUID.fromString(p.id()))).isZero();
        assertThat(Database.count(ds, "select count(*) from pairwise_subject where sub = ?", sub)).isZero();
        assertThat(lookup(sub, client.id())).isEmpty();
    }

    // ---- registration --------------------------------------------------------------------------

    @Test
    void registerWhenPairwiseCannotResolveItsSectorOrSectorIsNoHostNameThenInvalidRequestNamingTheField() {
        String uri = Browser.uniqueRedirectUri();
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris",
                List.of(Browser.uniqueRedirectUri(), Browser.uniqueRedirectUri()))), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of("com.example.app:/callback"))),
                "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of("http://127.0.0.1:8400/cb"))),
                "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of("https://10.1.2.3/cb"))),
                "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of(uri), "sector_identifier",
                "10.1.2.3")), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of(uri), "sector_identifier",
                "https://app.example.com")), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of(uri), "sector_identifier",
                "App.Example.com")), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of(uri), "sector_identifier",
                "-app.example.com")), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of(uri), "sector_identifier",
                "app.example.com.")), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "pairwise", "redirect_uris", List.of(uri), "sector_identifier", "")),
                "sector_identifier");
        assertInvalid(register(Map.of("redirect_uris", List.of(uri), "sector_identifier", "app.example.com")), "sector_identifier");
        assertInvalid(register(Map.of("subject_type", "Pairwise", "redirect_uris", List.of(uri))), "subject_type");
    }

    @Test
    void registerWhenPrivateUseSchemeAndSectorNamedThenPairwiseWithThatSector() {
        String sector = uniqueSector();

        Response r = register(Map.of("subject_type", "pairwise", "sector_identifier", sector, "token_endpoint_auth_method", "none",
                "redirect_uris", List.of("com.example.app:/callback", "http://127.0.0.1/cb")));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.jsonPath().getString("subject_type")).isEqualTo("pairwise");
        assertThat(r.jsonPath().getString("sector_identifier")).isEqualTo(sector);
    }

    @Test
    void patchWhenSubjectTypeChangesThenSectorFollowsAndRedirectChangesKeepIt() {
        String host = uniqueSector();
        Response created = register(Map.of("redirect_uris", List.of("https://" + host + "/cb")));
        String id = created.path("client_id");
        assertThat(created.jsonPath().getString("subject_type")).isEqualTo("public");
        assertThat(created.jsonPath().getString("sector_identifier")).isNull();

        Response pairwise = Api.admin().body(Map.of("subject_type", "pairwise")).patch("/admin/api/clients/" + id);
        Response moved = Api.admin().body(Map.of("redirect_uris", List.of(Browser.uniqueRedirectUri()))).patch("/admin/api/clients/" + id);
        Response renamed = Api.admin().body(Map.of("sector_identifier", "warehouse.example")).patch("/admin/api/clients/" + id);
        Response back = Api.admin().body(Map.of("subject_type", "public")).patch("/admin/api/clients/" + id);

        assertThat(pairwise.jsonPath().getString("sector_identifier")).as(pairwise.asString()).isEqualTo(host);
        assertThat(moved.jsonPath().getString("sector_identifier")).as("the subs the client knows stay valid").isEqualTo(host);
        assertThat(renamed.jsonPath().getString("sector_identifier")).isEqualTo("warehouse.example");
        assertThat(back.jsonPath().getString("subject_type")).isEqualTo("public");
        assertThat(back.jsonPath().getString("sector_identifier")).isNull();
    }

    @Test
    void openApiThenDescribesTheClientFieldsAndTheLookup() {
        Response r = given().queryParam("format", "json").get("/q/openapi");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getList("paths.'/admin/api/users'.get.parameters.name")).contains("sub", "client_id");
        assertThat(r.jsonPath().getMap("components.schemas.ClientRegistration.properties")).containsKeys("subject_type",
                "sector_identifier");
        assertThat(r.jsonPath().getMap("components.schemas.ClientView.properties")).containsKeys("subject_type", "sector_identifier");
    }

    @Test
    void discoveryThenPublicAndPairwise() {
        assertThat(given().get("/.well-known/openid-configuration").jsonPath().getList("subject_types_supported"))
                .containsExactly("public", "pairwise");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String uniqueSector() {
        return "sector-" + UUID.randomUUID().toString().substring(0, 13) + ".example";
    }

    /** A first-party confidential browser client of {@code sector}, on a redirect host of its own. */
    private static Client pairwise(String sector) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("first_party", true);
        fields.put("subject_type", "pairwise");
        fields.put("sector_identifier", sector);
        return Browser.registerClient(fields);
    }

    private static Person person() {
        String email = Browser.uniqueEmail("pairwise");
        return new Person(Browser.createUser(email, Browser.PASSWORD), email);
    }

    private static Session signIn(Person p, Client client) {
        Browser browser = new Browser();
        Browser.SignIn s = browser.signIn(client.id(), client.redirectUri(), SCOPE, p.email(), Browser.PASSWORD);
        return new Session(browser, s, Browser.exchange(client, s));
    }

    private static Response register(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.putIfAbsent("name", "pairwise registration");
        body.putIfAbsent("grant_types", List.of("authorization_code"));
        return Api.admin().body(body).post("/admin/api/clients");
    }

    private static List<Map<String, Object>> lookup(String sub, String clientId) {
        Response r = Api.admin().queryParam("sub", sub).queryParam("client_id", clientId).get("/admin/api/users");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getList("items");
    }

    private static void assertInvalid(Response r, String field) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error")).isEqualTo("invalid_request");
        assertThat(r.jsonPath().getString("field")).as(r.asString()).isEqualTo(field);
        assertThat(r.jsonPath().getString("error_description")).isNotBlank();
    }

    private static Response userinfo(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).get("/userinfo");
    }

    private static Response introspect(Client client, String token) {
        return Browser.authenticated(client).contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/introspect");
    }

    /** The message of the pairwise HMAC as PairwiseSubjects documents it: length-prefixed sector, then the user id's 16 bytes. */
    private static byte[] message(String sector, UUID user) {
        byte[] s = sector.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + s.length + 16).putInt(s.length).put(s)
                .putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).array();
    }

    private static byte[] hmac(byte[] key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- independent verification (Nimbus against the JWKS) ------------------------------------

    private static URL jwks() throws Exception {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/oauth2/jwks").toURL();
    }

    /** RFC 9068: typ at+jwt, the JWKS's key, iss, aud meltano, exp. */
    private static JWTClaimsSet verifyAccessToken(String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = processor(new JOSEObjectType("at+jwt"));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of("meltano")),
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("iss", "sub", "aud", "exp", "jti", "client_id"), null));
        return p.process(token, null);
    }

    /** OIDC Core 3.1.3.7: RS256, iss, aud the client, exp. */
    private static JWTClaimsSet verifyIdToken(String token, String clientId) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = processor(JOSEObjectType.JWT, null);
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of(clientId)),
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("iss", "sub", "aud", "exp", "iat"), null));
        return p.process(token, null);
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JOSEObjectType... types) throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks()).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), keys));
        return p;
    }
}
