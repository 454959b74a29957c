package com.meltano.auth.web;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON bodies are read strictly (SPEC section 9, "Input hygiene"): nothing may follow the first
 * value ({@code {} {}} is refused, not half-read), and a list may not hold {@code null}
 * ({@code "redirect_uris": [null]} is a 400 naming {@code redirect_uris[0]}, not a 500 deeper
 * down). Strings themselves are checked on the raw body by {@link InputHygiene}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        for (Class<?> type : List.of(List.class, Set.class, Collection.class)) {
            mapper.configOverride(type).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        }
    }
}
