package com.meltano.auth.boot;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.meltano.auth.account.ConfiguredAdmins;
import com.meltano.auth.common.ServingStarted;
import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.StartupFailure;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.session.BrowserSubjects;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Start-time work inside Quarkus: the configuration rules once more (tests start Quarkus without
 * the launcher), then the bootstrap admin user and client of SPEC section 3, idempotent and under
 * an advisory lock so that replicas starting together do not race.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);
    static final long BOOTSTRAP_LOCK = 727_003L;

    @Inject
    AuthConfig config;

    @Inject
    ConfiguredAdmins accounts;

    @Inject
    ClientService clients;

    @Inject
    Sql db;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String httpHost;

    void validate(@Observes @Priority(1) StartupEvent event) {
        var problems = AuthConfigValidator.problems(config, true, httpHost);
        if (!problems.isEmpty()) {
            throw new StartupFailure(String.join("; ", problems));
        }
        if (!config.authentication()) {
            LOG.warn("MELTANO_AUTHENTICATION=false: every authorization request is completed as the built-in admin");
        }
    }

    void bootstrap(@Observes @Priority(10) ServingStarted event) {
        AuthConfig.Auth auth = config.auth();
        if (auth.adminEmail().isEmpty() && auth.adminClientId().isEmpty() && config.authentication()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            db.query("select pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ")").single();
            if (!config.authentication()) {
                accounts.ensureBuiltInAdmin(BrowserSubjects.BUILT_IN_ADMIN_EMAIL);
            }
            if (auth.adminEmail().isPresent()) {
                accounts.ensureBootstrapAdmin(auth.adminEmail().get(), auth.adminPassword().orElseThrow());
            }
            if (auth.adminClientId().isPresent()) {
                clients.ensureBootstrapClient(auth.adminClientId().get(), auth.adminClientSecret().orElseThrow());
            }
        });
        LOG.info("bootstrap admin user and client are in place");
    }
}
