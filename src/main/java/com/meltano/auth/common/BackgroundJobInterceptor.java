package com.meltano.auth.common;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.jboss.logging.Logger;

/** Runs a {@link BackgroundJob} method only while the server is not stopping, and counts it meanwhile. */
@BackgroundJob
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
class BackgroundJobInterceptor {

    private static final Logger LOG = Logger.getLogger(BackgroundJobInterceptor.class);

    @Inject
    BackgroundJobs jobs;

    @AroundInvoke
    Object run(InvocationContext call) throws Exception {
        if (!jobs.tryStart()) {
            LOG.debugf("%s.%s skipped: the server is stopping", call.getMethod().getDeclaringClass().getSimpleName(),
                    call.getMethod().getName());
            return null;
        }
        try {
            return call.proceed();
        } finally {
            jobs.finished();
        }
    }
}
