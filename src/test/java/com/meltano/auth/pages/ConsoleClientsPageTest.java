package com.meltano.auth.pages;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import com.meltano.auth.admin.console.ConsoleSecretCookies;
import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The clients pages of the admin console in Chromium (SPEC section 11). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleClientsPageTest extends ConsolePageTest {

    @Test
    void registerClientThenSecretShownOnceWorksRotatesAndClientIsDeletedAfterConfirmation() {
        Person admin = newAdmin("console-clients");
        String role = "exporter-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(Api.admin().body(Map.of("name", role)).post("/admin/api/roles").statusCode()).isEqualTo(201);
        openAs(admin, "/admin/clients");

        typeInto("Name", "Nightly export");
        labelled("client_credentials").click();
        labelled(role).click();
        pressButton("Register client");

        assertThat(path()).as(shown()).startsWith("/admin/clients/mc-");
        String clientId = path().substring("/admin/clients/".length());
        assertThat(page()).contains("Client Nightly export registered.").contains("Copy the client secret now");
        String secret = labelled("Client secret").getDomProperty("value");
        assertThat(secret).hasSize(43);
        assertThat(driver().getCurrentUrl()).doesNotContain(secret);
        assertThat(driver().manage().getCookies()).as("the one-time cookie is cleared by the page that shows the secret")
                .noneMatch(c -> c.getValue().contains(secret) || c.getName().equals("meltano_console_secret"));

        driver().navigate().refresh();
        assertThat(driver().getPageSource()).as("shown once: a reload does not show the secret again").doesNotContain(secret);
        assertThat(page()).doesNotContain("Copy the client secret now");

        assertThat(Api.token(clientId, secret, null)).as("the secret works at the token endpoint").isNotBlank();
        Map<String, Object> stored = Api.admin().get("/admin/api/clients/" + clientId).jsonPath().getMap("");
        assertThat(stored.get("roles")).asList().containsExactly(role);
        assertThat(stored.get("grant_types")).asList().containsExactly("client_credentials");

        follow("Rotate the secret…");
        assertThat(page()).contains("Rotate the secret of " + clientId + "?");
        pressButton("Rotate secret");
        assertThat(path()).isEqualTo("/admin/clients/" + clientId);
        assertThat(page()).contains("New secret made; the old one no longer works.");
        String rotated = labelled("Client secret").getDomProperty("value");
        assertThat(rotated).hasSize(43).isNotEqualTo(secret);
        assertThat(given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").statusCode()).as("the old secret is refused").isEqualTo(401);
        assertThat(Api.token(clientId, rotated, null)).isNotBlank();

        follow("Delete client " + clientId + "…");
        assertThat(page()).contains("Delete the client " + clientId + "?");
        pressButton("Delete client " + clientId);
        assertThat(path()).isEqualTo("/admin/clients");
        assertThat(page()).contains("Client " + clientId + " deleted.");
        assertThat(Api.admin().get("/admin/api/clients/" + clientId).statusCode()).isEqualTo(404);

        follow("Audit");
        typeInto("Action", "client.secret_rotated");
        typeInto("Actor", admin.id());
        pressButton("Filter");
        List<String> targets = driver().findElements(By.cssSelector("table.audit tbody tr td:nth-child(4)")).stream()
                .map(e -> e.getText()).toList();
        assertThat(targets).as(shown()).containsExactly(clientId);
        assertThat(driver().findElements(By.cssSelector("table.audit tbody tr td:nth-child(2)"))).allSatisfy(
                e -> assertThat(e.getText()).isEqualTo("client.secret_rotated"));
        assertThat(driver().getPageSource()).doesNotContain(secret).doesNotContain(rotated);
    }

    @Test
    void registerClientWhenRedirectUriInvalidThenErrorNextToFieldAndTypedValuesKept() {
        Person admin = newAdmin("console-clients-bad");
        openAs(admin, "/admin/clients");

        typeInto("Name", "Web app");
        typeInto("Redirect URIs (one per line)", "https://app.example/callback\nnot a uri");
        labelled("authorization_code").click();
        pressButton("Register client");

        assertThat(path()).isEqualTo("/admin/clients");
        assertThat(invalid(labelled("Redirect URIs (one per line)"))).as(shown()).isTrue();
        assertThat(describedBy(labelled("Redirect URIs (one per line)"))).contains("\"not a uri\"");
        assertThat(labelled("Name").getDomProperty("value")).isEqualTo("Web app");
        assertThat(labelled("Redirect URIs (one per line)").getDomProperty("value"))
                .isEqualTo("https://app.example/callback\nnot a uri");
        assertThat(labelled("authorization_code").isSelected()).isTrue();
        assertThat(labelled("Enabled").isSelected()).isTrue();

        driver().navigate().refresh();
        assertThat(page()).as("the error is shown once").doesNotContain("\"not a uri\"");
    }

    @Test
    void editClientThenStoredAndWhenMadePublicWithClientCredentialsThenRefusedNextToGrantTypes() {
        Person admin = newAdmin("console-clients-edit");
        Map<String, String> c = Api.createServiceClient(List.of(), false);
        String clientId = c.get("client_id");
        openAs(admin, "/admin/clients/" + clientId);

        typeInto("Name", "Renamed service");
        typeInto("Post-logout redirect URIs (one per line)", "https://app.example/bye");
        pressButton("Save changes");
        assertThat(page()).as(shown()).contains("Client Renamed service saved.");
        Map<String, Object> stored = Api.admin().get("/admin/api/clients/" + clientId).jsonPath().getMap("");
        assertThat(stored.get("name")).isEqualTo("Renamed service");
        assertThat(stored.get("post_logout_redirect_uris")).asList().containsExactly("https://app.example/bye");
        assertThat(stored.get("grant_types")).asList().containsExactly("client_credentials");

        new org.openqa.selenium.support.ui.Select(labelled("Token endpoint authentication")).selectByValue("none");
        pressButton("Save changes");
        assertThat(page()).as(shown()).contains("Grant types: a public client (token_endpoint_auth_method none) cannot use"
                + " client_credentials.");
        assertThat(new org.openqa.selenium.support.ui.Select(labelled("Token endpoint authentication")).getFirstSelectedOption()
                .getText()).as("what was chosen is shown again").isEqualTo("none");
        assertThat(Api.admin().get("/admin/api/clients/" + clientId).jsonPath().getString("token_endpoint_auth_method"))
                .isEqualTo("client_secret_basic");
    }

    @Test
    void editPublicClientMadeConfidentialThenItsFirstSecretShownOnceAndMadePublicAgainThenSaidSo() {
        Person admin = newAdmin("console-clients-kind");
        String clientId = Api.admin().body(Map.of("name", "Kind changer", "redirect_uris", List.of("https://kind.example/cb"),
                "grant_types", List.of("authorization_code"), "token_endpoint_auth_method", "none"))
                .post("/admin/api/clients").jsonPath().getString("client_id");
        openAs(admin, "/admin/clients/" + clientId);

        new org.openqa.selenium.support.ui.Select(labelled("Token endpoint authentication")).selectByValue("client_secret_basic");
        pressButton("Save changes");

        assertThat(page()).as(shown()).contains("It is confidential now").contains("Copy the client secret now");
        String secret = labelled("Client secret").getDomProperty("value");
        assertThat(secret).hasSize(43);
        assertThat(given().auth().preemptive().basic(clientId, secret).formParam("token", "x").post("/oauth2/revoke").statusCode())
                .as("the secret shown authenticates the client").isEqualTo(200);
        driver().navigate().refresh();
        assertThat(driver().getPageSource()).as("shown once").doesNotContain(secret);

        new org.openqa.selenium.support.ui.Select(labelled("Token endpoint authentication")).selectByValue("none");
        pressButton("Save changes");
        assertThat(page()).as(shown()).contains("It is public now: its secret no longer works");
        assertThat(given().auth().preemptive().basic(clientId, secret).formParam("token", "x").post("/oauth2/revoke").statusCode())
                .isEqualTo(401);
    }

    @Test
    void registerClientThenSecretTravelsSealedInOneTimeCookieThatNoReplayOrOtherSessionOpens() {
        Person admin = newAdmin("console-clients-sealed");
        openAs(admin, "/admin/clients");
        String session = driver().manage().getCookieNamed(Browser.SESSION).getValue();
        Browser b = Browser.withSession(session);

        Response answer = HttpForms.post(b, b.get("/admin/clients"), "/admin/clients",
                Map.of("name", "Sealed", "grant_types", "client_credentials", "redirect_uris", ""));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(303);
        String location = answer.header("Location");
        String clientId = location.substring(location.lastIndexOf('/') + 1);
        String setCookie = answer.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleSecretCookies.SECRET + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/admin/clients/" + clientId + ";");
        String sealed = answer.getCookie(ConsoleSecretCookies.SECRET);

        Browser other = Browser.withSession(otherAdminSession()).withCookie(ConsoleSecretCookies.SECRET, sealed);
        assertThat(other.get(location).asString()).as("another admin's session does not open it")
                .doesNotContain("Copy the client secret now");

        Response shown = b.follow(answer);
        assertThat(shown.header("Cache-Control")).contains("no-store");
        String secret = Browser.html(shown).selectFirst("#client-secret").attr("value");
        assertThat(secret).hasSize(43);
        assertThat(String.join("\n", answer.headers().asList().stream().map(Object::toString).toList()))
                .as("neither the Location nor any cookie of the 303 carries the secret in clear").doesNotContain(secret);
        assertThat(Api.token(clientId, secret, null)).isNotBlank();

        Response replay = Browser.withSession(session).withCookie(ConsoleSecretCookies.SECRET, sealed).get(location);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.asString()).as("the same cookie sent again shows nothing").doesNotContain(secret)
                .doesNotContain("Copy the client secret now");
    }

    @Test
    void clientsListedByIdThenNextPageContinuesAfterTheLastIdShown() {
        Person admin = newAdmin("console-clients-pages");
        List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i <= 50; i++) { // one more than a page
            made.add(Api.createServiceClient(List.of(), false).get("client_id"));
        }
        openAs(admin, "/admin/clients");
        List<String> first = clientIds();
        assertThat(first).as(shown()).hasSize(50).isSorted();

        follow("Next page");
        assertThat(path()).isEqualTo("/admin/clients?after=" + first.get(49));
        List<String> next = clientIds();
        assertThat(next).isNotEmpty().isSorted().allSatisfy(id -> assertThat(id).isGreaterThan(first.get(49)));

        made.forEach(id -> Api.admin().delete("/admin/api/clients/" + id));
    }

    private static List<String> clientIds() {
        return driver().findElements(By.cssSelector("table tbody tr td:first-child a")).stream().map(e -> e.getText()).toList();
    }

    /** The session cookie of another admin, signed in in the browser (which forgets the first one). */
    private static String otherAdminSession() {
        chromium.forgetEverything();
        openAs(newAdmin("console-clients-other"), "/admin");
        return driver().manage().getCookieNamed(Browser.SESSION).getValue();
    }

    @Test
    void registerPairwiseClientWhenRedirectHostsDifferThenErrorNextToSectorAndWithSectorRegistered() {
        Person admin = newAdmin("console-clients-pairwise");
        String clientId = "pw-" + UUID.randomUUID().toString().substring(0, 8);
        openAs(admin, "/admin/clients");

        typeInto("Client id (optional)", clientId);
        typeInto("Name", "Warehouse loader");
        typeInto("Redirect URIs (one per line)", "https://one.example/cb\nhttps://two.example/cb");
        labelled("authorization_code").click();
        new org.openqa.selenium.support.ui.Select(labelled("Subject type")).selectByValue("pairwise");
        pressButton("Register client");

        assertThat(invalid(labelled("Sector (host name, pairwise only)"))).as(shown()).isTrue();
        assertThat(describedBy(labelled("Sector (host name, pairwise only)"))).contains("more than one host");
        assertThat(new org.openqa.selenium.support.ui.Select(labelled("Subject type")).getFirstSelectedOption().getText())
                .as("what was chosen is shown again").isEqualTo("pairwise");
        assertThat(Api.admin().get("/admin/api/clients/" + clientId).statusCode()).as("nothing registered").isEqualTo(404);

        typeInto("Sector (host name, pairwise only)", "warehouse.example");
        pressButton("Register client");

        Map<String, Object> stored = Api.admin().get("/admin/api/clients/" + clientId).jsonPath().getMap("");
        assertThat(stored.get("subject_type")).as(shown()).isEqualTo("pairwise");
        assertThat(stored.get("sector_identifier")).isEqualTo("warehouse.example");
        chromium.open("/admin/clients/" + clientId);
        assertThat(page()).as(shown()).contains("pairwise, sector warehouse.example");
        assertThat(labelled("Sector (host name, pairwise only)").getDomProperty("value")).isEqualTo("warehouse.example");
    }
}
