import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The raw signing rate of one JWS algorithm with the same providers as the server (JDK for RSA,
 * Bouncy Castle for P-256 and Ed25519), on a payload the size of an access token, in N threads.
 * Usage: java -cp bcprov.jar bench/SignRate.java RS256|ES256|EdDSA THREADS SECONDS
 */
public class SignRate {
    public static void main(String[] args) throws Exception {
        String alg = args[0];
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        Provider bc = new BouncyCastleProvider();
        KeyPair pair;
        String sigAlg;
        Provider provider;
        switch (alg) {
            case "RS256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                pair = g.generateKeyPair();
                sigAlg = "SHA256withRSA";
                provider = null;
            }
            case "ES256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", bc);
                g.initialize(new ECGenParameterSpec("secp256r1"));
                pair = g.generateKeyPair();
                sigAlg = "SHA256withPLAIN-ECDSA";
                provider = bc;
            }
            case "EdDSA" -> {
                pair = KeyPairGenerator.getInstance("Ed25519", bc).generateKeyPair();
                sigAlg = "Ed25519";
                provider = bc;
            }
            default -> throw new IllegalArgumentException(alg);
        }
        byte[] input = new byte[520]; // header.payload of a typical access token
        AtomicLong count = new AtomicLong();
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    while (true) {
                        long now = System.nanoTime();
                        if (now > end) {
                            break;
                        }
                        Signature s = provider == null ? Signature.getInstance(sigAlg) : Signature.getInstance(sigAlg, provider);
                        s.initSign(pair.getPrivate());
                        s.update(input);
                        s.sign();
                        if (now > warmupEnd) {
                            count.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        System.out.printf("%s raw signatures/s (%d threads): %.0f%n", alg, threads, count.get() / (double) seconds);
    }
}
