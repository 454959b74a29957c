package com.meltano.auth.web;

import java.io.IOException;
import java.time.Instant;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Instants in JSON to the microsecond, rounded as the PostgreSQL driver rounds what it stores:
 * the answer to a write shows the value a later read returns (SPEC section 9, "a value is stored
 * exactly as the response reports it"), not the clock's nanoseconds.
 */
@Singleton
public class JsonInstants implements ObjectMapperCustomizer {

    /** After Quarkus' own customizer, which registers the java.time module: the module registered last wins. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("instants-to-the-microsecond").addSerializer(Instant.class, new Micros()));
    }

    /** {@code t} rounded half up to whole microseconds. */
    static Instant toMicros(Instant t) {
        long micros = Math.floorDiv(t.getNano() + 500, 1000);
        return Instant.ofEpochSecond(t.getEpochSecond()).plusNanos(micros * 1000);
    }

    private static final class Micros extends StdSerializer<Instant> {

        Micros() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(toMicros(value).toString());
        }
    }
}
