import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for the browser-facing paths, run next to the server on the same machine:
 *   seed     BASE CLIENT_ID SECRET EMAIL PASSWORD COUNT
 *            signs in COUNT times through the pages (authorize, /login, code, token) and prints
 *            one refresh token per line, for bench/refresh.lua to rotate under wrk;
 *   login    BASE EMAIL PASSWORD THREADS SECONDS
 *            each iteration opens the sign-in page (a new login flow) and posts the password;
 *            prints logins/s and p50/p99 latency of the measured requests (after a 30 s warm-up) and,
 *            with -Dcpu.pids="PID ...", the CPU time those processes spent per login.
 *            EMAIL may be a comma-separated list: worker n signs in as entry n modulo its length
 *            (one account per worker keeps parallel correct logins clear of the throttle).
 *   kclogin  REALM_URL USERNAME PASSWORD THREADS SECONDS
 *            the same for Keycloak's login form (bench/compare-keycloak.sh): each iteration sends an
 *            authorization request for client -Dclient.id (redirect https://bench.example.com/cb)
 *            without cookies, so a new authentication session, then posts the password to the
 *            form's action and expects the redirect with a code; the code is not exchanged.
 */
public class BrowserLoad {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String base = args[1];
        if (mode.equals("seed")) {
            String basic = "Basic " + Base64.getEncoder().encodeToString((enc(args[2]) + ":" + enc(args[3])).getBytes(StandardCharsets.UTF_8));
            for (int i = Integer.parseInt(args[6]); i > 0; i--) {
                System.out.println(signIn(base, args[2], basic, args[4], args[5]));
            }
            return;
        }
        int threads = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        String[] accounts = args[2].split(",");
        for (int t = 0; t < threads; t++) {
            String account = accounts[t % accounts.length];
            Thread w = new Thread(() -> {
                try {
                    loginLoop(mode, base, account, args[3], latencies, measuring, stop);
                } catch (Exception e) {
                    System.err.println("worker failed: " + e);
                }
            });
            w.start();
            workers.add(w);
        }
        Thread.sleep(Long.getLong("warmup.seconds", 30) * 1000); // JIT: the first seconds compile
        String[] serverPids = System.getProperty("cpu.pids", "").isBlank() ? new String[0] : System.getProperty("cpu.pids").trim().split("\\s+");
        long cpuBefore = cpuTicks(serverPids);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        long cpuAfter = cpuTicks(serverPids);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        double rate = sorted.size() / (elapsed / 1e9);
        System.out.printf("%s: %.0f/s p50=%.1fms p99=%.1fms (%d threads, %d ops)", mode, rate,
                pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6, threads, sorted.size());
        if (serverPids.length > 0) {
            // clock ticks are 10 ms (USER_HZ = 100)
            System.out.printf(" server_cpu_ms_per_login=%.1f", (cpuAfter - cpuBefore) * 10.0 / sorted.size());
        }
        System.out.println();
    }

    /** User + system CPU ticks of the given processes (server and PostgreSQL), from /proc. */
    static long cpuTicks(String[] pids) throws Exception {
        long ticks = 0;
        for (String pid : pids) {
            java.nio.file.Path stat = java.nio.file.Path.of("/proc", pid, "stat");
            if (java.nio.file.Files.exists(stat)) {
                String s = java.nio.file.Files.readString(stat);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            }
        }
        return ticks;
    }

    static void loginLoop(String mode, String base, String email, String password, List<Long> lat, AtomicBoolean measuring,
            AtomicBoolean stop) throws Exception {
        while (!stop.get()) {
            long t0 = System.nanoTime();
            if (mode.equals("kclogin")) {
                keycloakLogin(base, email, password);
                if (measuring.get()) {
                    lat.add(System.nanoTime() - t0);
                }
                continue;
            }
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String flow = cookie(page, "meltano_flow");
            Matcher csrf = CSRF.matcher(page.body());
            csrf.find();
            HttpResponse<String> r = post(base + "/login", form(Map.of("email", email, "password", password, "csrf", csrf.group(1))),
                    Map.of("Cookie", "meltano_flow=" + flow));
            long dt = System.nanoTime() - t0;
            if (r.statusCode() != 303 || !r.headers().firstValue("Location").orElse("").endsWith("/account")) {
                throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.headers().firstValue("Location"));
            }
            if (measuring.get()) {
                lat.add(dt);
            }
        }
    }

    /** authorize -> /login -> code -> tokens, for a first-party confidential client; returns the refresh token. */
    static String signIn(String base, String clientId, String basic, String email, String password) throws Exception {
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[48]).replace('A', 'b');
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = "https://bench.example.com/cb";
        HttpResponse<String> a = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/authorize?response_type=code&client_id="
                + enc(clientId) + "&redirect_uri=" + enc(redirect) + "&scope=" + enc(System.getProperty("scope", "openid offline_access"))
                + "&state=s&code_challenge="
                + challenge + "&code_challenge_method=S256")).GET().build(), HttpResponse.BodyHandlers.ofString());
        String flow = cookie(a, "meltano_flow");
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Cookie", "meltano_flow=" + flow)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        csrf.find();
        HttpResponse<String> login = post(base + "/login", form(Map.of("email", email, "password", password, "csrf", csrf.group(1))),
                Map.of("Cookie", "meltano_flow=" + flow));
        String location = login.headers().firstValue("Location").orElseThrow();
        Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
        if (!code.find()) {
            throw new IllegalStateException("no code: " + location);
        }
        HttpResponse<String> tokens = post(base + "/oauth2/token", form(Map.of("grant_type", "authorization_code", "code", code.group(1),
                "redirect_uri", redirect, "code_verifier", verifier)), Map.of("Authorization", basic));
        Matcher m = REFRESH.matcher(tokens.body());
        if (!m.find()) {
            throw new IllegalStateException("no refresh token: " + tokens.statusCode());
        }
        return m.group(1);
    }

    static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cookie(HttpResponse<?> r, String name) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            if (c.startsWith(name + "=")) {
                return c.substring(name.length() + 1, c.indexOf(';'));
            }
        }
        throw new IllegalStateException("no cookie " + name);
    }

    static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return sb.toString();
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (p * sorted.size())));
    }

    static final Pattern KC_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    /** Keycloak's login form: authorization request (new authentication session), then the password post. */
    static void keycloakLogin(String realmUrl, String username, String password) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest("bench-verifier-bench-verifier-bench-verifier".getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/auth?response_type=code"
                + "&client_id=" + enc(System.getProperty("client.id", "bench-web")) + "&redirect_uri=" + enc("https://bench.example.com/cb")
                + "&scope=openid&state=s&code_challenge=" + challenge + "&code_challenge_method=S256")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher action = KC_ACTION.matcher(page.body());
        if (page.statusCode() != 200 || !action.find()) {
            throw new IllegalStateException("no Keycloak login form: " + page.statusCode());
        }
        StringBuilder cookies = new StringBuilder();
        for (String c : page.headers().allValues("Set-Cookie")) {
            int end = c.indexOf(';');
            cookies.append(cookies.length() == 0 ? "" : "; ").append(end < 0 ? c : c.substring(0, end));
        }
        HttpResponse<String> r = post(action.group(1).replace("&amp;", "&"),
                form(Map.of("username", username, "password", password, "credentialId", "")), Map.of("Cookie", cookies.toString()));
        if (r.statusCode() != 302 || !r.headers().firstValue("Location").orElse("").contains("code=")) {
            throw new IllegalStateException("Keycloak login failed: " + r.statusCode() + " " + r.headers().firstValue("Location"));
        }
    }
}
