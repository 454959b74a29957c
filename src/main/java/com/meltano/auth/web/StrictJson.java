package com.meltano.auth.web;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON bodies are read strictly (SPEC section 9, "Input hygiene"): nothing may follow the first
 * value ({@code {} {}} is refused, not half-read), and a list may not hold {@code null}
 * ({@code "redirect_uris": [null]} is a 400 naming {@code redirect_uris[0]}, not a 500 deeper
 * down). A value of another JSON type is refused, not converted: {@code "admin_api": "true"},
 * {@code "enabled": 0} and {@code "name": true} are 400s naming the field ("a value is stored
 * exactly as the response reports it, or refused"). Strings themselves are checked on the raw body
 * by {@link InputHygiene}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // booleans and numbers from strings ("true", "12"), booleans from numbers (0)
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        // strings from booleans and numbers (true, 123)
        for (CoercionInputShape shape : List.of(CoercionInputShape.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        for (Class<?> type : List.of(List.class, Set.class, Collection.class)) {
            mapper.configOverride(type).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        }
    }
}
