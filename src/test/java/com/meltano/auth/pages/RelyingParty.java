package com.meltano.auth.pages;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.meltano.auth.login.Browser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The applications the person signs in to: one JDK HTTP server on 127.0.0.1 (a random port; http
 * on the loopback address is a valid redirect URI, RFC 8252 section 7.3) that answers every
 * redirect URI with a small page and records the query it received, as a relying party would.
 */
public final class RelyingParty implements AutoCloseable {

    /** A client registered for one test: its registered name and where the browser comes back. */
    public record App(String clientId, String secret, String name, String redirectUri) {
    }

    /** One arrival at a redirect URI: its path and its decoded query. */
    public record Arrival(String path, Map<String, String> query) {
    }

    private final HttpServer server;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    private RelyingParty(HttpServer server) {
        this.server = server;
    }

    public static RelyingParty start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RelyingParty rp = new RelyingParty(server);
            server.createContext("/", rp::arrive);
            server.start();
            return rp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a browser client named {@code label} plus a unique suffix, with a redirect URI here. */
    public App register(String label, boolean firstParty) {
        String name = label + " " + UUID.randomUUID().toString().substring(0, 8);
        String redirectUri = "http://127.0.0.1:" + server.getAddress().getPort() + "/cb/" + UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("first_party", firstParty);
        body.put("redirect_uris", List.of(redirectUri));
        body.put("post_logout_redirect_uris", List.of(redirectUri + "/signed-out"));
        Browser.Client c = Browser.registerClient(body);
        return new App(c.id(), c.secret(), name, redirectUri);
    }

    /** What arrived at this redirect URI so far, oldest first. */
    public List<Arrival> arrivalsAt(String redirectUri) {
        String path = java.net.URI.create(redirectUri).getPath();
        return arrivals.stream().filter(a -> a.path().equals(path)).toList();
    }

    private void arrive(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = Browser.query("http://x/?" + (raw == null ? "" : raw));
        arrivals.add(new Arrival(exchange.getRequestURI().getPath(), query));
        String body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Back at the application</title>"
                + "</head><body><h1>Back at the application</h1><p id=\"outcome\">"
                + (query.containsKey("code") ? "Signed in" : "Not signed in: " + escape(query.getOrDefault("error", "?")))
                + "</p></body></html>";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=UTF-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
