package com.meltano.auth.web;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * No cleartext HTTP/2 (h2c) on the plain HTTP port: {@link InputHygiene} reads a body before the
 * endpoints run, and an HTTP/2 request cannot be handed on once its body was read (Quarkus REST
 * pauses it, which an ended HTTP/2 stream refuses: a 500). Clients that offer an h2c upgrade
 * (Java's HttpClient does by default) simply stay on HTTP/1.1. HTTP/2 over TLS is not affected;
 * there {@link InputHygiene} leaves bodies to the endpoints.
 */
@ApplicationScoped
public class PlainHttp1 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
