package com.meltano.auth.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Parsed configuration values shared by the features. */
@ApplicationScoped
public class ConfigProducers {

    @Produces
    @Singleton
    Issuer issuer(AuthConfig config) {
        return Issuer.parse(config.auth().issuer());
    }
}
