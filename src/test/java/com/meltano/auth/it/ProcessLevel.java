package com.meltano.auth.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * A process-level test class (it drives the packaged server as separate processes): it runs beside
 * the in-JVM Quarkus tests, which keep one thread of the test JVM to themselves, one class after
 * another, and beside other process-level classes. Its own methods run one after another: a lock
 * named after the class makes JUnit run them all on the class's thread.
 *
 * <p>Such a class writes nothing to {@code System.out} or {@code System.err} (a file under
 * {@code target/it-logs} instead): an in-JVM test may have them captured meanwhile
 * ({@code cli/CommandLineCommandsTest}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(providers = ProcessLevel.OwnClass.class)
@interface ProcessLevel {

    /** A lock per class: nothing else takes it, it only keeps the class's methods on the class's thread. */
    final class OwnClass implements ResourceLocksProvider {
        @Override
        public Set<Lock> provideForClass(Class<?> testClass) {
            return Set.of(new Lock(testClass.getName()));
        }
    }
}
