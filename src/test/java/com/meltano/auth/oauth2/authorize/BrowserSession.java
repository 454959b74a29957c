package com.meltano.auth.oauth2.authorize;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * One browser, driven over plain HTTP: a cookie jar kept by hand (RestAssured keeps none between
 * requests), redirects never followed (each 303 and its {@code Location} is what a test asserts),
 * and HTML forms read with jsoup, as a person's browser would submit them.
 */
final class BrowserSession {

    static final String FLOW = "meltano_flow";
    static final String SESSION = "meltano_session";

    /** A {@code Set-Cookie} as sent: name, value, and its attributes (names lower-cased; flags map to ""). */
    record SetCookie(String name, String value, Map<String, String> attributes) {
        boolean has(String attribute) {
            return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
        }

        String attribute(String attribute) {
            return attributes.get(attribute.toLowerCase(Locale.ROOT));
        }

        boolean deletes() {
            return value.isEmpty() || "0".equals(attribute("max-age"));
        }
    }

    private final Map<String, String> jar = new LinkedHashMap<>();

    /** GET {@code /oauth2/authorize} with exactly these (possibly repeated) query parameters. */
    Response authorize(Map<String, List<String>> params) {
        return keep(request().urlEncodingEnabled(false).get(AuthorizeEndpoint.PATH + "?" + query(params)));
    }

    /** POST {@code /oauth2/authorize} with the parameters as a form (OIDC Core 3.1.2.1 allows both). */
    Response authorizeByPost(Map<String, List<String>> params) {
        return keep(request().contentType("application/x-www-form-urlencoded").body(query(params)).post(AuthorizeEndpoint.PATH));
    }

    Response get(String path) {
        return keep(request().get(path));
    }

    /** Follows a {@code Location} on this server (path and query only), as a browser would with GET. */
    Response follow(Response redirect) {
        URI target = URI.create(location(redirect));
        return get(target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
    }

    Response post(String path, Map<String, String> form) {
        RequestSpecification r = request().contentType("application/x-www-form-urlencoded");
        form.forEach(r::formParam);
        return keep(r.post(path));
    }

    /** GET /login, then posts its form with these credentials and the page's own CSRF token. */
    Response signIn(String email, String password) {
        Response page = get("/login");
        assertThat(page.statusCode()).as("GET /login: %s", page.asString()).isEqualTo(200);
        Map<String, String> form = form(page, "/login");
        form.put("email", email);
        form.put("password", password);
        return post("/login", form);
    }

    /** GET /consent, then presses the button {@code decision=<decision>} of its form. */
    Response decide(String decision) {
        Response page = get("/consent");
        assertThat(page.statusCode()).as("GET /consent: %s", page.asString()).isEqualTo(200);
        Map<String, String> form = form(page, "/consent");
        form.put("decision", decision);
        return post("/consent", form);
    }

    String cookie(String name) {
        return jar.get(name);
    }

    void forget(String name) {
        jar.remove(name);
    }

    private RequestSpecification request() {
        RequestSpecification r = given().redirects().follow(false);
        if (!jar.isEmpty()) {
            r = r.cookies(new LinkedHashMap<>(jar));
        }
        return r;
    }

    private Response keep(Response r) {
        for (String header : r.headers().getValues("Set-Cookie")) {
            SetCookie c = parse(header);
            if (c.deletes()) {
                jar.remove(c.name());
            } else {
                jar.put(c.name(), c.value());
            }
        }
        return r;
    }

    // ---- reading responses -------------------------------------------------------------------

    /** The {@code Set-Cookie} of this name in the response, if any. */
    static Optional<SetCookie> setCookie(Response r, String name) {
        return r.headers().getValues("Set-Cookie").stream().map(BrowserSession::parse).filter(c -> c.name().equals(name)).findFirst();
    }

    static SetCookie parse(String header) {
        String[] parts = header.split(";");
        int eq = parts[0].indexOf('=');
        String name = parts[0].substring(0, eq).trim();
        String value = parts[0].substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) {
                continue;
            }
            int e = p.indexOf('=');
            if (e < 0) {
                attributes.put(p.toLowerCase(Locale.ROOT), "");
            } else {
                attributes.put(p.substring(0, e).trim().toLowerCase(Locale.ROOT), p.substring(e + 1).trim());
            }
        }
        return new SetCookie(name, value, attributes);
    }

    static Document html(Response r) {
        return Jsoup.parse(r.asString());
    }

    /** The named inputs of the page's form posting to {@code action}, with their values (hidden ones included). */
    static Map<String, String> form(Response page, String action) {
        Element form = html(page).selectFirst("form[action=" + action + "]");
        assertThat(form).as("a form posting to %s in %s", action, page.asString()).isNotNull();
        assertThat(form.attr("method")).isEqualToIgnoringCase("post");
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            fields.put(input.attr("name"), input.attr("value"));
        }
        return fields;
    }

    static String location(Response r) {
        String location = r.header("Location");
        assertThat(location).as("Location of a %d answer", r.statusCode()).isNotNull();
        return location;
    }

    /** The path of a {@code Location}, relative or absolute. */
    static String locationPath(Response r) {
        return URI.create(location(r)).getPath();
    }

    /** The query parameters of a {@code Location}, decoded (the first value of each). */
    static Map<String, String> locationQuery(Response r) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = URI.create(location(r)).getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** {@code Location} without its query: where the browser is sent. */
    static String locationWithoutQuery(Response r) {
        String location = location(r);
        int q = location.indexOf('?');
        return q < 0 ? location : location.substring(0, q);
    }

    /** application/x-www-form-urlencoded, with %20 for spaces (no reliance on '+' decoding in a query). */
    static String query(Map<String, List<String>> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((name, values) -> {
            for (String v : values) {
                q.add(encode(name) + "=" + encode(v));
            }
        });
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
