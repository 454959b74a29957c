package com.meltano.auth.oauth2.token;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.meltano.auth.support.Api;
import com.meltano.auth.support.Database;

/** Arrangements shared by the token endpoint tests: clients registered over the admin API, and SQL counts. */
final class TokenFixtures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFixtures() {
    }

    /** A registered client: what the admin API returned once. */
    record Client(String id, String secret) {
    }

    /** A fresh confidential client_credentials client (fresh, so no throttling state is shared). */
    static Client serviceClient() {
        Map<String, String> c = Api.createServiceClient(List.of(), false);
        return new Client(c.get("client_id"), c.get("client_secret"));
    }

    /** Registers a client with the given fields over the admin API (name added when absent). */
    static Client register(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.putIfAbsent("name", "token test client");
        var created = Api.admin().body(body).post("/admin/api/clients").then().statusCode(201).extract();
        return new Client(created.path("client_id"), created.path("client_secret"));
    }

    /** Rows of {@code oauth_grant} for a client: a rejected request must not add one. */
    static long grants(DataSource ds, String clientId) {
        return Database.count(ds, "select count(*) from oauth_grant where client_id = ?", clientId);
    }

    /** RFC 6749 section 2.3.1: each part form-URL-encoded, then {@code id:secret} in base64. */
    static String basic(String clientId, String secret) {
        return basicRaw(form(clientId) + ":" + form(secret));
    }

    /** {@code Basic} + base64 of exactly these characters. */
    static String basicRaw(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** URL-safe random letters and digits, for names that must not collide between tests. */
    static String unique(String prefix) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(prefix);
        for (int i = 0; i < 10; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
