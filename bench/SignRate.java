import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The raw signing rate of one JWS algorithm with the same signers as the server
 * (keys.SoftwareSigners: AWS-LC through the Amazon Corretto Crypto Provider for RS256 and ES256,
 * Bouncy Castle for Ed25519), on a payload the size of an access token, in N threads; with
 * "portable", the signers used where AWS-LC cannot load (the JDK's RSA, Bouncy Castle's P-256).
 * Usage: java -cp bcprov.jar:accp.jar bench/SignRate.java RS256|ES256|EdDSA THREADS SECONDS [portable]
 */
public class SignRate {
    public static void main(String[] args) throws Exception {
        String alg = args[0];
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        boolean portable = args.length > 3 && args[3].equals("portable");
        Provider bc = new BouncyCastleProvider();
        Provider accp = portable || alg.equals("EdDSA") ? null
                : (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                        .getField("INSTANCE").get(null);
        KeyPair pair;
        String sigAlg;
        Provider provider;
        switch (alg) {
            case "RS256" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                pair = g.generateKeyPair();
                sigAlg = "SHA256withRSA";
                provider = accp;
            }
            case "ES256" -> {
                // a key of Bouncy Castle's own for its signer: it signs on its fast P-256 arithmetic (as keys.P256)
                KeyPairGenerator g = accp != null ? KeyPairGenerator.getInstance("EC") : KeyPairGenerator.getInstance("EC", bc);
                g.initialize(new ECGenParameterSpec("secp256r1"));
                pair = g.generateKeyPair();
                sigAlg = accp != null ? "SHA256withECDSAinP1363Format" : "SHA256withPLAIN-ECDSA";
                provider = accp != null ? accp : bc;
            }
            case "EdDSA" -> {
                pair = KeyPairGenerator.getInstance("Ed25519", bc).generateKeyPair();
                sigAlg = "Ed25519";
                provider = bc;
            }
            default -> throw new IllegalArgumentException(alg);
        }
        // the server hands each key to AWS-LC once, as its own key object
        PrivateKey key = accp != null
                ? (PrivateKey) KeyFactory.getInstance(alg.equals("RS256") ? "RSA" : "EC", accp).translateKey(pair.getPrivate())
                : pair.getPrivate();
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
                        s.initSign(key);
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
