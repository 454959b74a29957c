package com.meltano.auth.verifier.bench;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.meltano.auth.verifier.TokenVerifier;
import com.meltano.auth.verifier.VerifiedToken;
import com.nimbusds.jose.JWSAlgorithm;
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
 * Verifications per second of an access token shaped like the server's (RFC 9068 header, SPEC 7
 * claims): fresh (cache off: parse, signature, claims) and cached (the same token again), per
 * algorithm, next to the raw JDK signature check of the same token (the floor of a fresh check).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VerifierBenchmark {

    @Param({"RS256", "ES256", "EdDSA"})
    public String alg;

    private HttpServer issuerServer;
    private TokenVerifier fresh;
    private TokenVerifier cached;
    private String token;
    private char[] tokenChars;
    private byte[] signingInput;
    private byte[] signature;
    private PublicKey publicKey;
    private String jdkAlgorithm;

    @Setup
    public void setUp() throws Exception {
        KeyPair pair;
        JWK jwk;
        String kid = "bench-" + alg;
        switch (alg) {
            case "RS256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                pair = g.generateKeyPair();
                jwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
                jdkAlgorithm = "SHA256withRSA";
            }
            case "ES256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                pair = g.generateKeyPair();
                jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).build();
                jdkAlgorithm = "SHA256withECDSAinP1363Format";
            }
            default -> {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = pair.getPublic().getEncoded();
                jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                        .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).build();
                jdkAlgorithm = "Ed25519";
            }
        }
        publicKey = pair.getPublic();
        issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort();
        String discovery = JSONObjectUtils.toJSONString(Map.of("issuer", issuer, "jwks_uri", issuer + "/oauth2/jwks"));
        String jwks = new JWKSet(jwk).toString(true);
        issuerServer.createContext("/.well-known/openid-configuration", ex -> send(ex, discovery));
        issuerServer.createContext("/oauth2/jwks", ex -> send(ex, jwks));
        issuerServer.start();

        long now = Instant.now().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "at+jwt");
        header.put("kid", kid);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", "4b0c6f5e-2f6a-4c1e-9d57-0a4f3c1b2e7d");
        claims.put("aud", List.of("meltano"));
        claims.put("client_id", "meltano-ui");
        claims.put("scope", "openid profile");
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put("jti", "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f.Qm9ZdWw2N2pYVGQ");
        claims.put("auth_time", now);
        claims.put("roles", List.of("analyst", "regular"));
        claims.put("permissions", Map.of("view:design", List.of("finance.*", "marketing.*"), "view:reports", List.of("*")));
        String input = b64(JSONObjectUtils.toJSONString(header)) + "." + b64(JSONObjectUtils.toJSONString(claims));
        Signature s = Signature.getInstance(jdkAlgorithm);
        s.initSign(pair.getPrivate());
        signingInput = input.getBytes(StandardCharsets.US_ASCII);
        s.update(signingInput);
        signature = s.sign();
        token = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        tokenChars = token.toCharArray();
        fresh = TokenVerifier.forIssuer(issuer).cacheSize(0).build();
        cached = TokenVerifier.forIssuer(issuer).build();
        fresh.verify(token); // keys loaded before measuring
        cached.verify(token);
    }

    @TearDown
    public void tearDown() {
        issuerServer.stop(0);
    }

    @Benchmark
    public VerifiedToken freshVerification() throws Exception {
        return fresh.verify(token);
    }

    /** As a service sees it: the same token again, but a new String read from the request. */
    @Benchmark
    public VerifiedToken cachedVerification() throws Exception {
        return cached.verify(new String(tokenChars));
    }

    @Benchmark
    public boolean rawJdkSignatureCheck() throws Exception {
        Signature s = Signature.getInstance(jdkAlgorithm);
        s.initVerify(publicKey);
        s.update(signingInput);
        return s.verify(signature);
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
