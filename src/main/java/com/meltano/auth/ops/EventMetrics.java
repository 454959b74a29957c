package com.meltano.auth.ops;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.meltano.auth.audit.AuditEvent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts audited events by action ({@code meltano_auth_events_total{action="token.issued"}}) for
 * Prometheus at {@code /q/metrics}: tokens issued, clients and users changed.
 */
@ApplicationScoped
public class EventMetrics {

    @Inject
    MeterRegistry registry;

    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    void count(@Observes AuditEvent event) {
        counters.computeIfAbsent(event.action(), action -> Counter.builder("meltano.auth.events")
                .description("Audited events by action")
                .tag("action", action)
                .register(registry)).increment();
    }
}
