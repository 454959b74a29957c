package com.meltano.auth.admin.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How the console's templates write values: instants as {@code 2026-12-02 10:15:07 UTC}, to the second. */
@TemplateExtension
public final class ConsoleFormats {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ConsoleFormats() {
    }

    /** {@code {instant.utc}}; an absent instant is written as a dash. */
    static String utc(Instant instant) {
        return instant == null ? "–" : UTC.format(instant);
    }
}
