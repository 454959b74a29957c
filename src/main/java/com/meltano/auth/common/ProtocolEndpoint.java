package com.meltano.auth.common;

/**
 * What a protocol endpoint says about itself, so that discovery (RFC 8414 section 2, OIDC
 * Discovery section 3) and CORS (SPEC section 4) follow from the endpoints that exist instead of
 * from lists kept by hand. Each endpoint class produces its own as a CDI bean
 * ({@code @Produces static final ProtocolEndpoint ANNOUNCED}); the discovery document and the CORS
 * filter read them all through {@code Instance<ProtocolEndpoint>}.
 *
 * @param metadataName the discovery metadata that names the endpoint ({@code token_endpoint}), or
 *        null for one discovery does not list (the discovery document itself)
 * @param path the endpoint's path under the issuer, its class's {@code PATH} constant
 * @param crossOrigin which origins may call it from a browser's script
 */
public record ProtocolEndpoint(String metadataName, String path, CrossOrigin crossOrigin) {

    /** SPEC section 4: who may read the endpoint's answers cross-origin (never with credentials). */
    public enum CrossOrigin {
        /** No CORS at all: above all the authorization endpoint, a top-level navigation only. */
        NONE,
        /** The origins of registered redirect URIs: the endpoints a single-page app calls. */
        REGISTERED_ORIGINS,
        /** Any origin: public documents (JWKS, discovery). */
        ANY_ORIGIN
    }

    /** An endpoint discovery announces under {@code metadataName}. */
    public static ProtocolEndpoint announced(String metadataName, String path, CrossOrigin crossOrigin) {
        return new ProtocolEndpoint(metadataName, path, crossOrigin);
    }

    /** An endpoint discovery does not list (it is reached by its well-known path). */
    public static ProtocolEndpoint wellKnown(String path, CrossOrigin crossOrigin) {
        return new ProtocolEndpoint(null, path, crossOrigin);
    }
}
