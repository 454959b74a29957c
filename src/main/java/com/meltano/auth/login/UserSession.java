package com.meltano.auth.login;

import java.time.Instant;
import java.util.UUID;

/** A signed-in browser (SSO session). {@code sid} is the public id put into ID tokens. */
public record UserSession(byte[] idHash, String sid, UUID userId, Instant authTime, String csrf) {
}
