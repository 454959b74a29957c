package com.meltano.auth.session;

import java.time.Instant;
import java.util.UUID;

/**
 * Who the browser is signed in as: the user, the session's public id ({@code sid}, null for the
 * built-in admin of SPEC section 6) and when the person authenticated ({@code auth_time}).
 */
public record BrowserSubject(UUID userId, String email, String sid, Instant authTime) {
}
