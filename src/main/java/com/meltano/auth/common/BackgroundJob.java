package com.meltano.auth.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * Work off the request path (every {@code @Scheduled} method) that a stopping server lets finish
 * and never starts: once the shutdown begins, a run not yet started is skipped and the runs in
 * flight are waited for ({@link BackgroundJobs}), so that no job meets the beans, the mailer or the
 * database it uses half torn down (a stack trace in the log of a clean stop).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface BackgroundJob {
}
