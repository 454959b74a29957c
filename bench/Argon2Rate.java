import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The raw Argon2id rate at the server's parameters (m = 7 MiB, t = 5, p = 1; Bouncy Castle), or at
 * others given as MEMORY_KIB and ITERATIONS, in N threads: the ceiling for password logins.
 * Usage: java -cp bcprov.jar bench/Argon2Rate.java THREADS SECONDS [MEMORY_KIB ITERATIONS]
 */
public class Argon2Rate {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int memoryKib = args.length > 3 ? Integer.parseInt(args[2]) : 7 * 1024;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        AtomicLong count = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long warm = System.nanoTime() + 3_000_000_000L;
        long end = warm + seconds * 1_000_000_000L;
        Thread[] ws = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ws[i] = new Thread(() -> {
                byte[] salt = new byte[16];
                // the server reuses one pool of blocks per core; so does the raw rate
                Argon2BytesGenerator.BlockPool blocks = new Argon2BytesGenerator.FixedBlockPool(memoryKib);
                byte[] out = new byte[32];
                while (System.nanoTime() < end) {
                    Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                            .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib)
                            .withIterations(iterations).withParallelism(1).withSalt(salt).withBlockPool(blocks).build();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    Argon2BytesGenerator g = new Argon2BytesGenerator();
                    g.init(p);
                    g.generateBytes("correct horse battery staple".getBytes(StandardCharsets.UTF_8), out);
                    if (System.nanoTime() > warm) {
                        count.incrementAndGet();
                        cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                    }
                }
            });
            ws[i].start();
        }
        for (Thread w : ws) {
            w.join();
        }
        System.out.printf("argon2id m=%d t=%d raw hashes/s (%d threads): %.1f cpu_ms_per_hash=%.1f%n", memoryKib, iterations, threads,
                count.get() / (double) seconds,
                cpuNanos.get() / 1e6 / count.get());
    }
}
