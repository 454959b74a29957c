package com.meltano.auth.common;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Runs a {@link BackgroundJob} method only while the server is not stopping, and counts it meanwhile. */
@BackgroundJob
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
class BackgroundJobInterceptor {

    @Inject
    BackgroundJobs jobs;

    @AroundInvoke
    Object run(InvocationContext call) throws Exception {
        return jobs.run(call.getMethod().getDeclaringClass().getSimpleName() + "." + call.getMethod().getName(),
                call::proceed);
    }
}
