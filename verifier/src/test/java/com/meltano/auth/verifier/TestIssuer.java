package com.meltano.auth.verifier;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;

/**
 * An issuer for the verifier's unit tests: discovery and JWKS over real HTTP on a loopback port,
 * keys of the three algorithms, and a signer that also builds the malformed and hostile tokens the
 * rejection tests need (the server's own tokens are verified in the server's integration tests).
 */
final class TestIssuer implements AutoCloseable {

    record Key(String kid, String alg, KeyPair pair, JWK publicJwk) {
    }

    private final HttpServer http;
    final String issuer;
    private final List<Key> published = new ArrayList<>();
    final AtomicInteger jwksFetches = new AtomicInteger();

    TestIssuer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + http.getAddress().getPort();
        http.createContext("/.well-known/openid-configuration", ex -> respond(ex, JSONObjectUtils.toJSONString(
                Map.of("issuer", issuer, "jwks_uri", issuer + "/oauth2/jwks"))));
        http.createContext("/oauth2/jwks", ex -> {
            jwksFetches.incrementAndGet();
            List<JWK> keys;
            synchronized (published) {
                keys = published.stream().map(Key::publicJwk).toList();
            }
            respond(ex, new JWKSet(keys).toString(true));
        });
        http.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A new key, published at once unless {@code publish} is false. */
    Key newKey(String alg, boolean publish) throws Exception {
        String kid = alg + "-" + System.nanoTime();
        KeyPair pair;
        JWK jwk;
        switch (alg) {
            case "RS256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                pair = g.generateKeyPair();
                jwk = new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).build();
            }
            case "ES256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                pair = g.generateKeyPair();
                jwk = new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) pair.getPublic()).keyID(kid)
                        .keyUse(KeyUse.SIGNATURE).algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).build();
            }
            default -> {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = pair.getPublic().getEncoded();
                byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(com.nimbusds.jose.JWSAlgorithm.EdDSA).build();
            }
        }
        Key key = new Key(kid, alg, pair, jwk);
        if (publish) {
            publish(key);
        }
        return key;
    }

    void publish(Key key) {
        synchronized (published) {
            published.add(key);
        }
    }

    void unpublish(Key key) {
        synchronized (published) {
            published.remove(key);
        }
    }

    /** The usual claims of an access token of this issuer, valid for 10 minutes. */
    Map<String, Object> claims() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", issuer);
        c.put("sub", "4b0c6f5e-0000-4000-8000-000000000001");
        c.put("aud", List.of("meltano"));
        c.put("client_id", "meltano-ui");
        c.put("scope", "openid profile");
        c.put("iat", now);
        c.put("exp", now + 600);
        c.put("jti", "g." + now);
        c.put("roles", List.of("analyst"));
        c.put("permissions", Map.of("view:design", List.of("finance.*"), "view:reports", List.of("*")));
        return c;
    }

    Map<String, Object> header(Key key) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", key.alg());
        h.put("typ", "at+jwt");
        h.put("kid", key.kid());
        return h;
    }

    String sign(Key key, Map<String, Object> claims) throws Exception {
        return sign(key, header(key), claims);
    }

    /** Signs header and claims as given with the key's private key (JWS compact serialization). */
    static String sign(Key key, Map<String, Object> header, Map<String, Object> claims) throws Exception {
        String input = b64(JSONObjectUtils.toJSONString(header)) + "." + b64(JSONObjectUtils.toJSONString(claims));
        Signature s = switch (key.alg()) {
            case "RS256" -> Signature.getInstance("SHA256withRSA");
            case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
            default -> Signature.getInstance("Ed25519");
        };
        s.initSign(key.pair().getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    void stop() {
        http.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
