package com.meltano.auth.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The strict reading of text as it arrives (SPEC section 9, "Input hygiene"): percent-encoding
 * with two hex digits after every {@code %}, UTF-8 without invalid or overlong sequences and
 * without encoded surrogates, no NUL (PostgreSQL refuses it in text, so it would end as a 500),
 * and in JSON no {@code \u0000} and no lone surrogate escape ({@code "\ud800"} would be stored as
 * {@code ?}, and {@code finance.?} matches every one-character resource). Each method returns
 * null when the input is acceptable, or what is wrong with it, in words that never echo it.
 */
public final class StrictText {

    private static final String IN_A_STRING = "a JSON string ";

    private static final JsonFactory JSON = new JsonFactory();

    private StrictText() {
    }

    /**
     * A request target's path (raw, as received): every segment decodes strictly and holds no
     * control character.
     */
    public static String pathProblem(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        String decoded = decode(rawPath, false);
        if (decoded == null) {
            return "the path is not valid percent-encoded UTF-8";
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "the path contains a control character";
            }
        }
        return null;
    }

    /** A query string or an {@code application/x-www-form-urlencoded} body (raw). */
    public static String formProblem(String raw, String what) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        return parseForm(raw, what, new ArrayList<>());
    }

    /**
     * Decodes a form body strictly into {@code pairs} (name, value; empty pieces between
     * {@code &} skipped); returns what is wrong with it, or null.
     */
    public static String parseForm(byte[] body, String what, List<Map.Entry<String, String>> pairs) {
        return parseForm(new String(body, StandardCharsets.ISO_8859_1), what, pairs);
    }

    private static String parseForm(String raw, String what, List<Map.Entry<String, String>> pairs) {
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1), true);
            if (name == null || value == null) {
                return "the " + what + " is not valid percent-encoded UTF-8";
            }
            if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                return "the " + what + " contains a NUL character";
            }
            pairs.add(Map.entry(name, value));
        }
        return null;
    }

    /** What is wrong with a JSON body, and the field whose value holds it ({@code redirect_uris[0]}) when one does, else null. */
    public record JsonProblem(String description, String field) {
    }

    /**
     * A JSON body: strict UTF-8, no NUL, every surrogate escape part of a pair; null when
     * acceptable. A string value at fault is named as the admin API names fields.
     */
    public static JsonProblem jsonProblem(byte[] body) {
        String problem = wholeJsonProblem(body);
        if (problem == null) {
            return null;
        }
        String field = problem.startsWith(IN_A_STRING) ? faultyField(utf8(body)) : null;
        return field == null ? new JsonProblem(problem, null) : new JsonProblem(problem.substring(IN_A_STRING.length()), field);
    }

    /**
     * The path of the first string value holding a NUL or a lone surrogate, read with Jackson
     * (which decodes such escapes without complaint); null when the body does not parse or the
     * fault is in a name.
     */
    private static String faultyField(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING && !clean(parser.getText())) {
                    return path(parser.getParsingContext());
                }
            }
        } catch (IOException unreadable) {
            // the parser of the endpoint refuses it in its own words
        }
        return null;
    }

    private static boolean clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return path.length() == 0 ? null : path.toString().replaceFirst("^\\.", "");
    }

    private static String wholeJsonProblem(byte[] body) {
        String text = utf8(body);
        if (text == null) {
            return "the body is not valid UTF-8";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "the body contains a NUL character";
            }
            if (c != '\\' || i + 1 >= text.length()) {
                continue;
            }
            char next = text.charAt(i + 1);
            if (next != 'u') {
                i++; // an escape of one character, e.g. \\ or \"
                continue;
            }
            int unit = hex4(text, i + 2);
            if (unit < 0) {
                continue; // not an escape JSON allows: the parser refuses it
            }
            if (unit == 0) {
                return IN_A_STRING + "contains a NUL character";
            }
            if (Character.isLowSurrogate((char) unit)) {
                return IN_A_STRING + "contains a lone UTF-16 surrogate";
            }
            if (Character.isHighSurrogate((char) unit)) {
                int low = i + 12 <= text.length() && text.charAt(i + 6) == '\\' && text.charAt(i + 7) == 'u'
                        ? hex4(text, i + 8) : -1;
                if (low < 0 || !Character.isLowSurrogate((char) low)) {
                    return IN_A_STRING + "contains a lone UTF-16 surrogate";
                }
                i += 11;
            } else {
                i += 5;
            }
        }
        return null;
    }

    /**
     * Percent-decodes {@code raw} (characters are taken as the bytes they arrived as: the HTTP
     * layer reads the request line as ISO-8859-1) and decodes the bytes as strict UTF-8; null
     * when either fails.
     */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0 && ascii(raw)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = hex(raw.charAt(i + 1));
                int lo = hex(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c > 0xff) {
                return null; // not a byte of the request line
            } else {
                bytes.write(c);
            }
        }
        return utf8(bytes.toByteArray());
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Strict UTF-8: the JDK's decoder refuses overlong forms and encoded surrogates. */
    static String utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** ASCII hex digits only ({@link Character#digit} would take other scripts' digits too). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int hex4(String s, int from) {
        if (from + 4 > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int d = hex(s.charAt(i));
            if (d < 0) {
                return -1;
            }
            value = value * 16 + d;
        }
        return value;
    }
}
