package com.meltano.auth.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What an operator reads at {@code /q/metrics} (Prometheus text): the HTTP layer's request timers
 * for the endpoints, except the JWKS, which counts what it serves on its own; audited events by
 * action.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MetricsTest {

    private static final Pattern JWKS_SERVED = Pattern.compile("(?m)^meltano_auth_jwks_requests_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

    @Test
    void jwksWhenServedThenCountedByItsOwnCounterNotByARequestTimer() {
        double before = jwksServed(metrics());

        for (int i = 0; i < 3; i++) {
            given().get("/oauth2/jwks").then().statusCode(200);
        }
        given().head("/oauth2/jwks").then().statusCode(200);

        String after = metrics();
        // at least: a verifier of another test class may fetch the key set meanwhile
        assertThat(jwksServed(after) - before).as("GET and HEAD answers counted").isGreaterThanOrEqualTo(4.0);
        assertThat(after).doesNotContain("uri=\"/oauth2/jwks\"");
    }

    @Test
    void tokenRequestWhenAnsweredThenTimedByTheHttpLayerAndCountedAsAnEvent() {
        Map<String, String> client = Api.createServiceClient(List.of(), false);
        Api.token(client.get("client_id"), client.get("client_secret"), null);

        String metrics = metrics();
        assertThat(metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("uri=\"/oauth2/token\"") && l.contains("status=\"200\"")))
                .as("the token endpoint's request timer").isNotEmpty();
        assertThat(metrics.lines().filter(l -> l.startsWith("meltano_auth_events_total{") && l.contains("action=\"token.issued\"")))
                .as("tokens issued, by the audit's event counter").isNotEmpty();
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double jwksServed(String metrics) {
        Matcher m = JWKS_SERVED.matcher(metrics);
        assertThat(m.find()).as("meltano_auth_jwks_requests_total in:%n%s", metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
