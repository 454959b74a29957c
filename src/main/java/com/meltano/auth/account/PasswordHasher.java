package com.meltano.auth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import com.meltano.auth.common.BackgroundJob;

import io.quarkus.scheduler.Scheduled;

/**
 * Argon2id password hashes at m = 7 MiB, t = 5, p = 1, encoded in the PHC string format. These are
 * one of the five settings OWASP's Password Storage Cheat Sheet lists as equal in strength (19 MiB
 * and t = 2 is another; the product of memory and passes, the work an attacker pays per guess, is
 * about the same), and Keycloak's default. Of the five it keeps the least memory resident: a block
 * set per core held between hashes is 7 MiB, not 19. A stored hash at other parameters (those before
 * this change were m = 19456, t = 2) still verifies, at its own parameters, and {@link #isCurrent}
 * tells the sign-in to replace it.
 */
@ApplicationScoped
public class PasswordHasher {

    static final int MEMORY_KIB = 7 * 1024;
    static final int ITERATIONS = 5;
    static final int PARALLELISM = 1;
    /** What every hash made now begins with. */
    private static final String PREFIX = "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$";
    /** Block sets unused this long are given back (see {@link #releaseWhenIdle}). */
    static final Duration IDLE_RELEASE = Duration.ofSeconds(10);
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    /**
     * One Argon2id computation per core at a time, each with its own reused 7 MiB of blocks: more
     * at once adds no throughput, and allocating 7 MiB per login costs the garbage collector as
     * much as several percent of the hash. Bouncy Castle zeroes every block when a hash is done.
     * A block set is allocated on its first use and handed out last-in first-out, so hashes that
     * come one at a time (an admin creating users, a login now and then) keep reusing one set, and
     * a second set's 7 MiB are taken only when two hashes run at once.
     */
    private final BlockingDeque<Argon2BytesGenerator.BlockPool> memory;
    private final int slots;
    /** Whether a block set may hold memory (a hash ran since the sets were last dropped). */
    private volatile boolean holding;
    /** {@link System#nanoTime()} when the last hash ended. */
    private volatile long lastUse;

    public PasswordHasher() {
        slots = Runtime.getRuntime().availableProcessors();
        memory = new LinkedBlockingDeque<>(slots);
        addFreshBlockSets();
    }

    private void addFreshBlockSets() {
        for (int i = 0; i < slots; i++) {
            memory.add(new Argon2BytesGenerator.FixedBlockPool(Argon2BytesGenerator.getBlockCount(MEMORY_KIB, PARALLELISM)));
        }
    }

    /**
     * When no password was hashed for {@link #IDLE_RELEASE}, the block sets are dropped and one full
     * collection gives their 7 MiB each back to the system (with the launcher's heap settings);
     * the next hash allocates a set again, which costs a few milliseconds. The first check comes
     * 10 s after the start, never while a start is still under way or failing.
     */
    @BackgroundJob
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void releaseWhenIdle() {
        if (releaseIfIdle(System.nanoTime())) {
            System.gc();
        }
    }

    /** Drops the block sets when none is in use and none was for {@link #IDLE_RELEASE}; whether it did. */
    synchronized boolean releaseIfIdle(long nowNanos) {
        if (!holding || nowNanos - lastUse < IDLE_RELEASE.toNanos() || memory.size() < slots) {
            return false;
        }
        List<Argon2BytesGenerator.BlockPool> idle = new ArrayList<>();
        memory.drainTo(idle);
        if (idle.size() < slots) {
            // a hash took one meanwhile: keep them all
            idle.forEach(memory::addLast);
            return false;
        }
        holding = false;
        addFreshBlockSets();
        return true;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return PREFIX + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Whether a stored hash is at today's parameters; one that is not (an older setting) should be
     * replaced by a new hash of the password once the password is known to match it.
     */
    public boolean isCurrent(String encoded) {
        return encoded != null && encoded.startsWith(PREFIX);
    }

    /** Constant-time comparison; a malformed stored hash never matches. */
    public boolean verify(String password, String encoded) {
        if (password == null || encoded == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String param : parts[3].split(",")) {
                int value = Integer.parseInt(param.substring(2));
                switch (param.substring(0, 2)) {
                    case "m=" -> m = value;
                    case "t=" -> t = value;
                    case "p=" -> p = value;
                    default -> {
                        return false;
                    }
                }
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            byte[] actual = derive(password, salt, m, t, p, expected.length);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    private byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator.BlockPool blocks = takeMemory();
        holding = true;
        try {
            return compute(password, salt, memoryKib, iterations, parallelism, length, blocks);
        } finally {
            lastUse = System.nanoTime();
            memory.addFirst(blocks);
        }
    }

    private Argon2BytesGenerator.BlockPool takeMemory() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return memory.takeFirst();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] compute(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length,
            Argon2BytesGenerator.BlockPool blocks) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .withBlockPool(blocks)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
