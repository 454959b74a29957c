package com.meltano.auth.oidc;

import jakarta.enterprise.inject.Produces;

import com.meltano.auth.common.ProtocolEndpoint;

/**
 * Discovery's {@code end_session_endpoint} (OpenID Connect RP-Initiated Logout 1.0 section 2.1),
 * reached by navigating, never by a cross-origin script. Beside {@link LogoutEndpoint} rather than
 * in it only while the sign-in redesign reshapes that class; it belongs there as an
 * {@code ANNOUNCED} field.
 */
final class EndSessionEndpointAnnouncement {

    @Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("end_session_endpoint", LogoutEndpoint.PATH,
            ProtocolEndpoint.CrossOrigin.NONE);
}
