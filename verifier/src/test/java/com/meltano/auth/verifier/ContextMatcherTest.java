package com.meltano.auth.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven tests of SPEC section 8. */
class ContextMatcherTest {

    private static final String GRINNING = "\uD83D\uDE00"; // U+1F600, one code point, two chars

    static Stream<Arguments> emptyCases() {
        return Stream.of(
                Arguments.of("", "", true),
                Arguments.of("", "a", false),
                Arguments.of("a", "", false),
                Arguments.of("?", "", false));
    }

    @ParameterizedTest(name = "matches(\"{0}\", \"{1}\") == {2}")
    @MethodSource("emptyCases")
    void matchesWhenEmptyPatternThenOnlyEmptyText(String pattern, String text, boolean expected) {
        assertEquals(expected, ContextMatcher.matches(pattern, text));
    }

    static Stream<Arguments> starCases() {
        return Stream.of(
                Arguments.of("*", "", true),
                Arguments.of("*", "a.b.c", true),
                Arguments.of("**", "", true),
                Arguments.of("finance.*", "finance.month_over_month", true),
                Arguments.of("finance.*", "finance.q1.revenue", true),
                Arguments.of("finance.*", "finance.", true),
                Arguments.of("finance.*", "finance", false),
                Arguments.of("finance.*", "marketing.finance.x", false),
                Arguments.of("*.*", "a.b", true),
                Arguments.of("*.*", ".", true),
                Arguments.of("*.*", "a.b.c", true),
                Arguments.of("*.*", "abc", false),
                Arguments.of("*finance", "marketing.finance", true),
                Arguments.of("*finance", "finance", true),
                Arguments.of("*finance", "finance.x", false),
                Arguments.of("*.finance.*", "marketing.finance.x", true),
                Arguments.of("*.finance.*", "finance.x", false),
                Arguments.of("a*b*c", "aXbYc", true),
                Arguments.of("a*b*c", "abcabc", true),
                Arguments.of("a*b*c", "acb", false),
                Arguments.of("a*", "a", true),
                Arguments.of("a*a", "a", false));
    }

    @ParameterizedTest(name = "matches(\"{0}\", \"{1}\") == {2}")
    @MethodSource("starCases")
    void matchesWhenStarThenAnyRunIncludingDots(String pattern, String text, boolean expected) {
        assertEquals(expected, ContextMatcher.matches(pattern, text));
    }

    static Stream<Arguments> questionMarkCases() {
        return Stream.of(
                Arguments.of("?", "a", true),
                Arguments.of("?", "ab", false),
                Arguments.of("?", GRINNING, true),
                Arguments.of("??", GRINNING, false),
                Arguments.of("a?c", "a" + GRINNING + "c", true),
                Arguments.of("a??c", "a" + GRINNING + "c", false),
                Arguments.of("?.?", "a.b", true),
                Arguments.of("?", ".", true),
                Arguments.of(GRINNING, GRINNING, true),
                Arguments.of("*?", GRINNING, true));
    }

    @ParameterizedTest(name = "matches(\"{0}\", \"{1}\") == {2}")
    @MethodSource("questionMarkCases")
    void matchesWhenQuestionMarkThenExactlyOneCodePoint(
            String pattern, String text, boolean expected) {
        assertEquals(expected, ContextMatcher.matches(pattern, text));
    }

    static Stream<Arguments> caseCases() {
        return Stream.of(
                Arguments.of("Finance.*", "finance.x", false),
                Arguments.of("finance.*", "FINANCE.x", false),
                Arguments.of("finance.X", "finance.x", false),
                Arguments.of("Finance.X", "Finance.X", true));
    }

    @ParameterizedTest(name = "matches(\"{0}\", \"{1}\") == {2}")
    @MethodSource("caseCases")
    void matchesWhenCaseDiffersThenFalse(String pattern, String text, boolean expected) {
        assertEquals(expected, ContextMatcher.matches(pattern, text));
    }

    static Stream<Arguments> regexMetacharacterCases() {
        return Stream.of(
                Arguments.of("a.c", "abc", false),
                Arguments.of("a.c", "a.c", true),
                Arguments.of("a+", "aa", false),
                Arguments.of("a+", "a+", true),
                Arguments.of("(a)", "a", false),
                Arguments.of("(a)", "(a)", true),
                Arguments.of("[ab]", "a", false),
                Arguments.of("[ab]", "[ab]", true),
                Arguments.of("\\d", "5", false),
                Arguments.of("\\d", "\\d", true),
                Arguments.of("\\*", "\\anything", true),
                Arguments.of("\\*", "*", false),
                Arguments.of("^a$", "a", false),
                Arguments.of("^a$", "^a$", true),
                Arguments.of("a|b", "a", false),
                Arguments.of("a|b", "a|b", true),
                Arguments.of(".*", "anything", false),
                Arguments.of(".*", ".anything", true),
                Arguments.of("a{2}", "aa", false),
                Arguments.of("a{2}", "a{2}", true));
    }

    @ParameterizedTest(name = "matches(\"{0}\", \"{1}\") == {2}")
    @MethodSource("regexMetacharacterCases")
    void matchesWhenRegexMetacharacterThenLiteral(String pattern, String text, boolean expected) {
        assertEquals(expected, ContextMatcher.matches(pattern, text));
    }

    @Test
    void matchesWhenManyStarsAgainstLongNonMatchingTextThenFalseWithoutBlowingUp() {
        // A backtracking regex would take exponential time here; the two-pointer matcher is
        // bounded by |pattern| x |text|.
        String text = "a".repeat(100_000);
        assertFalse(ContextMatcher.matches("*a*a*a*a*a*b", text));
    }

    @Test
    void matchesWhenManyStarsAgainstLongMatchingTextThenTrue() {
        String text = "a".repeat(100_000) + "b";
        assertTrue(ContextMatcher.matches("*a*a*a*a*a*b", text));
        assertTrue(ContextMatcher.matches("a*a?a*" + "b", text));
        assertTrue(ContextMatcher.matches("*", text));
    }

    @Test
    void matchesWhenNullArgumentThenNullPointerException() {
        assertThrows(NullPointerException.class, () -> ContextMatcher.matches(null, "a"));
        assertThrows(NullPointerException.class, () -> ContextMatcher.matches("a", null));
    }

    static Stream<Arguments> allowsCases() {
        Map<String, List<String>> claim = Map.of(
                "view:*", List.of("finance.*"),
                "edit:design", List.of("marketing.*", "sales.q1"));
        Map<String, List<String>> everything = Map.of("*", List.of("*"));
        Map<String, List<String>> anyTypeSomeContexts = Map.of("*", List.of("finance.*"));
        return Stream.of(
                Arguments.of(everything, "view:design", "anything.at.all", true),
                Arguments.of(everything, "delete:everything", "", true),
                Arguments.of(anyTypeSomeContexts, "edit:reports", "finance.q1", true),
                Arguments.of(anyTypeSomeContexts, "edit:reports", "marketing.q1", false),
                Arguments.of(claim, "view:design", "finance.q1", true),
                Arguments.of(claim, "view:reports", "finance.q1", true),
                Arguments.of(claim, "view:design", "marketing.q1", false),
                Arguments.of(claim, "edit:design", "marketing.q1", true),
                Arguments.of(claim, "edit:design", "sales.q1", true),
                Arguments.of(claim, "edit:design", "sales.q2", false),
                // the context must be granted under a key that matches the type, not any key
                Arguments.of(claim, "edit:design", "finance.q1", false),
                Arguments.of(claim, "edit:reports", "marketing.q1", false),
                Arguments.of(claim, "delete:design", "finance.q1", false),
                Arguments.of(Map.of(), "view:design", "finance.q1", false),
                Arguments.of(Map.of("view:design", List.of()), "view:design", "finance.q1", false));
    }

    @ParameterizedTest(name = "allows({0}, \"{1}\", \"{2}\") == {3}")
    @MethodSource("allowsCases")
    void allowsWhenSomeMatchingKeyListsAMatchingPatternThenTrue(
            Map<String, List<String>> permissions, String type, String name, boolean expected) {
        assertEquals(expected, ContextMatcher.allows(permissions, type, name));
    }
}
