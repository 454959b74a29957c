package com.meltano.auth.common;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

/** A background job a test holds in flight until it lets it go. */
@ApplicationScoped
public class HeldJob {

    @BackgroundJob
    void run(CountDownLatch started, CountDownLatch release) throws InterruptedException {
        started.countDown();
        if (!release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never let the job go");
        }
    }
}
