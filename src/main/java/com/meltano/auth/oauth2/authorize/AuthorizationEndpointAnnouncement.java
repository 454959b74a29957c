package com.meltano.auth.oauth2.authorize;

import jakarta.enterprise.inject.Produces;

import com.meltano.auth.common.ProtocolEndpoint;

/**
 * Discovery's {@code authorization_endpoint} (RFC 8414 section 2). It never answers CORS (SPEC
 * section 4): a browser reaches it by navigating, and a script reading its answer could learn
 * whether someone is signed in. Beside {@link AuthorizeEndpoint} rather than in it only while the
 * sign-in redesign reshapes that class; it belongs there as an {@code ANNOUNCED} field.
 */
final class AuthorizationEndpointAnnouncement {

    @Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("authorization_endpoint", AuthorizeEndpoint.PATH,
            ProtocolEndpoint.CrossOrigin.NONE);
}
