package com.meltano.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.audit.AuditQuery;
import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The commands of SPEC section 11 run in-process through {@link CommandLineApplication} (the
 * packaged jar, its database modes and the running server are {@code it.CommandLineIT}'s): the
 * answer on standard output, exit status 1 with one line on standard error, passwords only from
 * standard input, audit actor {@code cli}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CommandLineCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CommandLineApplication app;

    @Inject
    AuditQuery audit;

    record Ran(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @Test
    void userDisableEnableWhenEmailKnownThenStateChangesAndIsPrinted() {
        String email = uniqueEmail();
        ok(null, "user", "add", email);

        assertThat(ok(null, "user", "disable", email).out()).startsWith(email + "  disabled  regular  ");
        assertThat(ok(null, "user", "enable", email).out()).startsWith(email + "  enabled  regular  ");
    }

    @Test
    void userDeleteWhenConfirmedThenErasedAndLaterCommandsDoNotFindIt() {
        String email = uniqueEmail();
        ok(null, "user", "add", email);

        Ran deleted = run(null, "user", "delete", email, "--yes");

        assertThat(deleted.status()).isZero();
        assertThat(deleted.out()).isEmpty();
        Ran again = run(null, "user", "disable", email);
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.errLines()).containsExactly("meltano-auth: email: no user with this email");
    }

    @Test
    void userDeleteWhenNotConfirmedThenUsageErrorAndUserStays() {
        String email = uniqueEmail();
        ok(null, "user", "add", email);

        Ran refused = run(null, "user", "delete", email);

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString()
                .startsWith("meltano-auth: Missing required option: '--yes'").endsWith("(see 'meltano-auth user delete --help')");
        assertThat(ok(null, "user", "list").out()).contains(email);
    }

    @Test
    void userPasswordWhenFromStandardInputThenSetAndNeverPrinted() throws Exception {
        String email = uniqueEmail();
        assertThat(ok(null, "user", "add", email, "--json").json().path("has_password").asBoolean()).isFalse();
        String password = "pw-" + UUID.randomUUID();

        Ran set = ok(password + "\n", "user", "password", email, "--json");

        assertThat(set.json().path("has_password").asBoolean()).isTrue();
        assertThat(set.out() + set.err()).doesNotContain(password);
    }

    @Test
    void userAddWhenPasswordBreaksPolicyThenOneLineNamingPasswordAndNoUser() {
        String email = uniqueEmail();

        Ran refused = run("short\n", "user", "add", email, "--password-stdin");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).containsExactly("meltano-auth: password: must be at least 8 characters");
        assertThat(ok(null, "user", "list").out()).doesNotContain(email);
    }

    @Test
    void userAddWhenStandardInputEmptyThenRefused() {
        Ran refused = run("", "user", "add", uniqueEmail(), "--password-stdin");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().startsWith("meltano-auth: password: ");
    }

    @Test
    void userAddWhenEmailInvalidThenOneLineNamingEmail() {
        Ran refused = run(null, "user", "add", "not-an-email");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).containsExactly("meltano-auth: email: is not an email address");
    }

    @Test
    void roleUnpermitAndDeleteWhenGivenThenPermissionAndRoleGone() {
        String role = uniqueRole();
        ok(null, "role", "add", role);
        ok(null, "role", "permit", role, "view:design", "finance.*");
        assertThat(ok(null, "role", "list").out()).containsPattern("(?m)^" + role + " +view:design finance\\.\\*$");

        assertThat(run(null, "role", "unpermit", role, "view:design", "finance.*").status()).isZero();
        assertThat(ok(null, "role", "list").out()).containsPattern("(?m)^" + role + " +-$");
        assertThat(run(null, "role", "delete", role, "--yes").status()).isZero();
        assertThat(ok(null, "role", "list").out()).doesNotContain(role);
    }

    @Test
    void whoCanWhenUserNamedThenYesWithTheAllowingRoleOrNoWithTheNearMiss() {
        String role = uniqueRole();
        String email = uniqueEmail();
        ok(null, "role", "add", role);
        ok(null, "role", "permit", role, "view:design", "finance.*");
        ok(null, "user", "add", email, "--role", role);

        String yes = ok(null, "who-can", "view:design", "finance.month_over_month", "--user", email).out();
        String no = ok(null, "who-can", "view:design", "marketing.q1", "--user", email).out();

        assertThat(yes).startsWith("yes").contains("user " + email).containsPattern("allowed by +" + role + " \\(manual\\) +view:design +finance\\.\\*");
        assertThat(no).startsWith("no").containsPattern("near miss +" + role + " \\(manual\\) +view:design +finance\\.\\* +context does not match");
        Ran unknown = run(null, "who-can", "view:design", "x", "--user", "nobody-" + email);
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("meltano-auth: user: no user has this email");
    }

    @Test
    void roleDeleteWhenAdminThenRefusedWithOneLine() {
        Ran refused = run(null, "role", "delete", "admin", "--yes");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.errLines()).containsExactly("meltano-auth: the built-in role admin cannot be deleted");
    }

    @Test
    void clientAddWhenConfidentialThenSecretPrintedOnceAndNeverListed() throws Exception {
        String role = uniqueRole();
        ok(null, "role", "add", role);

        JsonNode created = ok(null, "client", "add", "cli-test", "--grant", "client_credentials", "--role", role, "--json").json();

        String clientId = created.path("client_id").asText();
        String secret = created.path("client_secret").asText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        assertThat(created.path("roles")).extracting(JsonNode::asText).containsExactly(role);
        Ran listed = ok(null, "client", "list");
        assertThat(listed.out()).containsPattern("(?m)^" + clientId + " +cli-test +client_credentials +" + role + "$")
                .doesNotContain(secret);
        assertThat(ok(null, "client", "list", "--json").out()).doesNotContain(secret).doesNotContain("\"client_secret\"");
    }

    @Test
    void clientAddWhenPublicThenNoSecretLine() {
        Ran created = ok(null, "client", "add", "cli-spa", "--public", "--grant", "authorization_code",
                "--redirect-uri", "https://spa.example.com/callback");

        assertThat(created.out().lines().toList()).singleElement().asString().startsWith("client_id  ");
    }

    @Test
    void clientAddWhenPairwiseThenSectorStoredAndWhenSectorIsNoHostNameThenOneLineNamingIt() throws Exception {
        JsonNode created = ok(null, "client", "add", "cli-warehouse", "--grant", "authorization_code", "--redirect-uri",
                "https://loader.example.com/callback", "--subject-type", "pairwise", "--sector", "warehouse.example.com", "--json").json();
        Ran refused = run(null, "client", "add", "cli-bad-sector", "--grant", "authorization_code", "--redirect-uri",
                "https://loader.example.com/callback", "--subject-type", "pairwise", "--sector", "https://warehouse.example.com");

        assertThat(created.path("subject_type").asText()).isEqualTo("pairwise");
        assertThat(created.path("sector_identifier").asText()).isEqualTo("warehouse.example.com");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().startsWith("meltano-auth: sector_identifier: must be a host name");
    }

    @Test
    void keysRotateWhenAskedThenNewKeyListedAsStaged() {
        String kid = ok(null, "keys", "rotate").out().split("\\s+")[0];

        assertThat(ok(null, "keys", "list").out()).containsPattern("(?m)^" + kid.replace("-", "\\-") + " +RS256 +staged +created ");
    }

    @Test
    void keysRotateWhenJsonThenTheAdminApiShape() throws Exception {
        JsonNode rotated = ok(null, "keys", "rotate", "--now", "--json").json();

        assertThat(rotated.path("kid").asText()).isNotBlank();
        assertThat(rotated.path("state").asText()).isEqualTo("staged");
        assertThat(rotated.path("activates_at").asText()).isNotBlank();
        assertThat(rotated.path("keys").get(0).path("kid").asText()).isEqualTo(rotated.path("kid").asText());
    }

    @Test
    void commandWhenItChangesSomethingThenAuditedWithActorCli() {
        String role = uniqueRole();

        ok(null, "role", "add", role);

        assertThat(audit.page(null, 20)).anyMatch(e -> e.actor().equals("cli") && e.action().equals("role.created")
                && role.equals(e.target()));
    }

    @Test
    void whoCanWhenRoleMatchesThenOneLinePerRoleAndSubject() {
        String role = uniqueRole();
        String email = uniqueEmail();
        ok(null, "role", "add", role);
        ok(null, "role", "permit", role, "view:topic", "topic-" + role + ".*");
        ok(null, "user", "add", email, "--role", role);
        String unheld = uniqueRole();
        ok(null, "role", "add", unheld);
        ok(null, "role", "permit", unheld, "view:topic", "topic-" + role + ".*");

        Ran who = ok(null, "who-can", "view:topic", "topic-" + role + ".weekly");

        assertThat(who.out().lines().filter(l -> l.startsWith(role + " ")).map(l -> List.of(l.split("\\s{2,}"))).toList())
                .containsExactly(List.of(role, "view:topic topic-" + role + ".*", "user " + email, "manual"));
        assertThat(who.out()).as("a role nobody holds is no subject").doesNotContain(unheld);
    }

    @Test
    void commandWhenParametersMissingThenUsageErrorOnOneLine() {
        Ran usage = run(null, "role", "permit", "some-role");

        assertThat(usage.status()).isEqualTo(1);
        assertThat(usage.out()).isEmpty();
        assertThat(usage.errLines()).singleElement().asString().startsWith("meltano-auth: Missing required parameters: 'TYPE', 'CONTEXT'");
    }

    private Ran ok(String stdin, String... args) {
        Ran r = run(stdin, args);
        assertThat(r.status()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    /** Runs a command with standard input, output and error of its own (restored afterwards). */
    private synchronized Ran run(String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
            int status = app.run(args);
            return new Ran(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    private static String uniqueEmail() {
        return "cli-" + UUID.randomUUID() + "@example.com";
    }

    private static String uniqueRole() {
        return "cli-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
