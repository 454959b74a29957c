package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC section 11, the command line: {@code java -jar quarkus-run.jar COMMAND} on the embedded
 * default, (a) with no server running, when each command starts the embedded PostgreSQL for its
 * duration and stops it, and (b) next to a running server on the same data directory, when it
 * attaches to the server's PostgreSQL and the server sees every change at once. Either way the
 * command binds no port (it runs with the HTTP port held by someone else), prints only its answer
 * on standard output, fails with status 1 and one line on standard error, never shows a password or
 * a secret outside its answer, and is audited as {@code cli}.
 */
@ProcessLevel
class CommandLineIT {

    private static final String ADMIN_ID = "it-cli-admin";
    private static final Duration PROPAGATION = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private ServerProcess server;
    private final List<String> timings = new ArrayList<>();

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.stop();
        }
        // into a file, not the test JVM's output, which an in-JVM test captures meanwhile (it/ProcessLevel)
        if (!timings.isEmpty()) {
            Files.write(ServerProcess.logFile("CommandLineIT-timings"), timings);
        }
    }

    @Test
    void commandsWhenNoServerRunsThenEachStartsAndStopsTheEmbeddedDatabase() throws Exception {
        Path dataDir = tmp.resolve("data");
        String password = "pw-" + ItSupport.newSecret();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a command that tried to listen would fail on this port
            Map<String, String> env = Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            List<CommandLineRun.Result> runs = new ArrayList<>();

            CommandLineRun.Result added = ok(runs, dataDir, env, password + "\n", "user", "add", "alice@example.com", "--password-stdin");
            assertThat(added.stdoutLines()).singleElement().asString().startsWith("alice@example.com  enabled  regular  ");
            assertNoDatabaseLeftRunning(dataDir);

            assertThat(ok(runs, dataDir, env, null, "role", "add", "finance-viewer").stdoutLines())
                    .containsExactly("finance-viewer  -");
            assertThat(ok(runs, dataDir, env, null, "role", "permit", "finance-viewer", "view:design", "finance.*").stdoutLines())
                    .containsExactly("finance-viewer  view:design finance.*");
            ok(runs, dataDir, env, null, "user", "roles", "alice@example.com", "finance-viewer");

            CommandLineRun.Result who = ok(runs, dataDir, env, null, "who-can", "view:design", "finance.month_over_month");
            assertThat(cells(who)).contains(List.of("finance-viewer", "view:design finance.*", "user alice@example.com", "manual"))
                    .noneMatch(row -> row.get(0).equals("regular"));

            CommandLineRun.Result list = ok(runs, dataDir, env, null, "user", "list", "--json");
            JsonNode users = ItSupport.JSON.readTree(list.stdout()).path("items");
            assertThat(users).hasSize(1);
            assertThat(users.get(0).path("email").asText()).isEqualTo("alice@example.com");
            assertThat(users.get(0).path("roles")).extracting(JsonNode::asText).containsExactly("finance-viewer");
            assertThat(users.get(0).path("has_password").asBoolean()).as("the password from standard input was set").isTrue();

            CommandLineRun.Result refused = run(runs, dataDir, env, null, "user", "roles", "alice@example.com", "no-such-role");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stdout()).isEmpty();
            assertThat(refused.stderrLines()).containsExactly("meltano-auth: roles[0]: unknown role");

            CommandLineRun.Result usage = run(runs, dataDir, env, null, "user", "add");
            assertThat(usage.exitCode()).isEqualTo(1);
            assertThat(usage.stdout()).isEmpty();
            assertThat(usage.stderrLines()).singleElement().asString().startsWith("meltano-auth: Missing required parameter");

            for (CommandLineRun.Result r : runs) {
                assertThat(r.stderr() + r.stdout()).doesNotContain(password);
                assertThat(ItSupport.stackTraceLines(r.stderr())).isEmpty();
            }
            assertNoDatabaseLeftRunning(dataDir);
            timings.add("no server, " + describe(runs.subList(1, runs.size() - 1)) + "; first command on a new data dir (initdb, migrations) "
                    + runs.get(0).took().toMillis() + " ms; usage error " + runs.get(runs.size() - 1).took().toMillis() + " ms");
        }
    }

    @Test
    void commandsWhenRunAtOnceWithoutServerThenEachWaitsItsTurnAndEveryChangeStays() throws Exception {
        Path dataDir = tmp.resolve("data");
        Map<String, String> env = Map.of("QUARKUS_HTTP_HOST", "127.0.0.1");
        List<CommandLineRun.Result> runs = new ArrayList<>();
        ok(runs, dataDir, env, null, "role", "list");

        // the first runs its own PostgreSQL; the others wait for it instead of using a database about to stop
        List<String> names = List.of("first-at-once", "second-at-once", "third-at-once");
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            List<Future<CommandLineRun.Result>> together = new ArrayList<>();
            for (String name : names) {
                together.add(pool.submit(() -> CommandLineRun.run(dataDir, env, null, "role", "add", name)));
            }
            for (Future<CommandLineRun.Result> f : together) {
                CommandLineRun.Result r = f.get();
                runs.add(r);
                assertThat(r.exitCode()).as("stdout %s stderr %s", r.stdout(), r.stderr()).isZero();
                assertThat(ItSupport.stackTraceLines(r.stderr())).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }

        JsonNode roles = ItSupport.JSON.readTree(ok(runs, dataDir, env, null, "role", "list", "--json").stdout()).path("items");
        assertThat(roles).extracting(r -> r.path("name").asText()).containsAll(names);
        assertNoDatabaseLeftRunning(dataDir);
        timings.add("no server, three commands at once: " + describe(runs.subList(1, 4)));
    }

    @Test
    void commandsWhenServerRunsThenTheyAttachAndTheServerSeesTheirChanges() throws Exception {
        Path dataDir = tmp.resolve("data");
        String adminSecret = ItSupport.newSecret();
        String password = "pw-" + ItSupport.newSecret();
        server = ServerProcess.start("cli-server", dataDir,
                Map.of("MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID, "MELTANO_AUTH_ADMIN_CLIENT_SECRET", adminSecret));
        long postmaster = ServerProcess.postmasterPid(dataDir).orElseThrow();
        // the server's own port: a command that tried to listen would fail on it
        Map<String, String> env = Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", Integer.toString(server.port()));
        List<CommandLineRun.Result> runs = new ArrayList<>();

        ok(runs, dataDir, env, null, "role", "add", "reporting");
        CommandLineRun.Result client = ok(runs, dataDir, env, null, "client", "add", "reporter",
                "--grant", "client_credentials", "--role", "reporting");
        assertThat(client.stdoutLines()).hasSize(2);
        String clientId = field(client, "client_id");
        String secret = field(client, "client_secret");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);

        JWTClaimsSet before = claims(ItSupport.clientCredentialsToken(server.baseUrl(), clientId, secret));
        assertThat(before.getStringListClaim("roles")).containsExactly("reporting");
        assertThat(permissions(before)).doesNotContainKey("view:reports");

        ok(runs, dataDir, env, null, "role", "permit", "reporting", "view:reports", "sales.*");
        JWTClaimsSet after = eventually("the next token carries the new permission", () -> {
            JWTClaimsSet c = claims(ItSupport.clientCredentialsToken(server.baseUrl(), clientId, secret));
            return permissions(c).containsKey("view:reports") ? c : null;
        });
        assertThat(permissions(after).get("view:reports")).isEqualTo(List.of("sales.*"));

        CommandLineRun.Result bob = ok(runs, dataDir, env, password + "\n", "user", "add", "bob@example.com", "--role", "reporting",
                "--password-stdin");
        assertThat(bob.stdoutLines()).singleElement().asString().startsWith("bob@example.com  enabled  reporting  ");

        Set<String> published = ItSupport.kids(ItSupport.jwks(server.baseUrl()));
        CommandLineRun.Result rotated = ok(runs, dataDir, env, null, "keys", "rotate", "--now");
        String kid = cells(rotated).get(0).get(0);
        assertThat(published).isNotEmpty().doesNotContain(kid);
        eventually("the server publishes the new key", () -> ItSupport.kids(ItSupport.jwks(server.baseUrl())).contains(kid) ? kid : null);

        CommandLineRun.Result who = ok(runs, dataDir, env, null, "who-can", "view:reports", "sales.q1");
        assertThat(cells(who)).contains(
                List.of("reporting", "view:reports sales.*", "user bob@example.com", "manual"),
                List.of("reporting", "view:reports sales.*", "client " + clientId, "manual"));

        // the server's database was borrowed, never started or stopped
        assertThat(server.isAlive()).isTrue();
        assertThat(ServerProcess.postmasterPid(dataDir)).hasValue(postmaster);
        assertThat(ItSupport.get(server.baseUrl() + "/q/health/ready", null).status()).isEqualTo(200);

        String admin = ItSupport.clientCredentialsToken(server.baseUrl(), ADMIN_ID, adminSecret);
        Set<String> byCli = new HashSet<>();
        for (JsonNode e : auditEntries(admin)) {
            if ("cli".equals(e.path("actor").asText())) {
                byCli.add(e.path("action").asText() + " " + e.path("target").asText(""));
            }
        }
        assertThat(byCli).contains("role.created reporting", "client.created " + clientId, "role.permission_added reporting")
                .anyMatch(a -> a.startsWith("keys.rotated"))
                .anyMatch(a -> a.startsWith("user.created "));

        for (CommandLineRun.Result r : runs) {
            assertThat(r.stderr()).doesNotContain(secret).doesNotContain(password);
            assertThat(ItSupport.stackTraceLines(r.stderr())).isEmpty();
        }
        assertThat(bob.stdout()).doesNotContain(password);
        assertThat(server.output()).doesNotContain(secret).doesNotContain(password);
        timings.add("server running, " + describe(runs));
    }

    @Test
    void commandsWhenExternalDatabaseConfiguredThenUseItAndLeaveTheDataDirectoryAlone() throws Exception {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Map<String, String> env = Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "MELTANO_AUTH_KEY_ENCRYPTION_KEY", ItSupport.newKek());
            List<CommandLineRun.Result> runs = new ArrayList<>();
            ok(runs, dataDir, env, null, "role", "add", "external-role");
            JsonNode roles = ItSupport.JSON.readTree(ok(runs, dataDir, env, null, "role", "list", "--json").stdout()).path("items");
            assertThat(roles).extracting(r -> r.path("name").asText()).contains("admin", "external-role");
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    ResultSet rs = c.createStatement().executeQuery("select count(*) from role where name = 'external-role'")) {
                assertThat(rs.next() && rs.getInt(1) == 1).as("the role is in the external database").isTrue();
            }
            assertThat(dataDir.resolve("postgres")).doesNotExist();
            timings.add("external database, " + describe(runs));
        }
    }

    private CommandLineRun.Result run(List<CommandLineRun.Result> runs, Path dataDir, Map<String, String> env, String stdin,
            String... args) {
        CommandLineRun.Result r = CommandLineRun.run(dataDir, env, stdin, args);
        runs.add(r);
        return r;
    }

    private CommandLineRun.Result ok(List<CommandLineRun.Result> runs, Path dataDir, Map<String, String> env, String stdin,
            String... args) {
        CommandLineRun.Result r = run(runs, dataDir, env, stdin, args);
        assertThat(r.exitCode()).as("%s: stdout %s stderr %s", String.join(" ", args), r.stdout(), r.stderr()).isZero();
        assertThat(r.stdoutLines()).as("%s prints its answer", String.join(" ", args)).isNotEmpty();
        assertThat(r.stderr()).as("%s logs warnings and worse only", String.join(" ", args)).doesNotContain(" INFO ");
        return r;
    }

    /** The answer's lines cut into their columns (two spaces or more apart). */
    private static List<List<String>> cells(CommandLineRun.Result r) {
        return r.stdoutLines().stream().map(l -> List.of(l.strip().split("\\s{2,}"))).toList();
    }

    private static String field(CommandLineRun.Result r, String name) {
        return r.stdoutLines().stream().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length()).strip())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + r.stdout()));
    }

    private static Map<String, Object> permissions(JWTClaimsSet claims) {
        try {
            return claims.getJSONObjectClaim("permissions");
        } catch (java.text.ParseException e) {
            throw new AssertionError("permissions is not a JSON object", e);
        }
    }

    private JWTClaimsSet claims(String token) {
        try {
            return ItSupport.verifyAccessToken(token, ItSupport.jwks(server.baseUrl()), ItSupport.DEFAULT_ISSUER);
        } catch (Exception e) {
            throw new AssertionError("the access token does not verify", e);
        }
    }

    /** Notifications reach the server asynchronously (within milliseconds; the command's JVM exit alone takes longer). */
    private static <T> T eventually(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        T value = probe.get();
        while (value == null && System.nanoTime() < deadline) {
            Thread.sleep(200);
            value = probe.get();
        }
        assertThat(value).as(what + " within " + PROPAGATION).isNotNull();
        return value;
    }

    private List<JsonNode> auditEntries(String bearer) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            ItSupport.Reply reply = ItSupport.get(server.baseUrl() + "/admin/api/audit?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), bearer);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            reply.json().path("items").forEach(all::add);
            JsonNode next = reply.json().path("next_cursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
        } while (cursor != null);
        return all;
    }

    /** No postmaster on the data directory, and its lock free: the command stopped what it started. */
    private static void assertNoDatabaseLeftRunning(Path dataDir) throws IOException {
        assertThat(ServerProcess.postmasterPid(dataDir)).as("postmaster.pid after the command").isEmpty();
        try (FileChannel channel = FileChannel.open(dataDir.resolve("server.lock"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            assertThat(lock).as("the data directory's lock after the command").isNotNull();
            lock.release();
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
    }

    private static String describe(List<CommandLineRun.Result> runs) {
        List<Long> ms = runs.stream().map(r -> r.took().toMillis()).sorted().toList();
        return runs.size() + " commands: median " + ms.get(ms.size() / 2) + " ms, min " + ms.get(0) + " ms, max "
                + ms.get(ms.size() - 1) + " ms";
    }
}
