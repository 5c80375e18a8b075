package io.mantis.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatcherTest {

    /** regex, input, whether RE2 (as Prometheus 3 uses it: anchored, dot matches newline) matches. */
    static Stream<Arguments> regexCases() {
        return Stream.of(
                // anchoring
                Arguments.of("foo", "foo", true),
                Arguments.of("foo", "xfoo", false),
                Arguments.of("foo", "foox", false),
                Arguments.of("^foo$", "foo", true),
                Arguments.of("foo$", "foo\n", false),
                Arguments.of("", "", true),
                Arguments.of("", "a", false),
                // . matches newline by default in Prometheus 3, not with (?-s)
                Arguments.of(".*", "", true),
                Arguments.of(".*", "a\nb", true),
                Arguments.of(".+", "", false),
                Arguments.of(".+", "\n", true),
                Arguments.of("a.b", "a\nb", true),
                Arguments.of("(?-s).*", "a\nb", false),
                Arguments.of("(?-s:.)", "\n", false),
                Arguments.of("(?-s:.)", "x", true),
                Arguments.of("[^a]", "\n", true),
                Arguments.of(".", "", false),
                Arguments.of(".", "\uD83D\uDE43", true),
                Arguments.of("..", "\uD83D\uDE43", false),
                Arguments.of("\uD83D\uDE42.", "\uD83D\uDE42\uD83D\uDE43", true),
                // alternations and sets
                Arguments.of("foo|bar", "foo", true),
                Arguments.of("foo|bar", "bar", true),
                Arguments.of("foo|bar", "foobar", false),
                Arguments.of("(foo|bar)", "bar", true),
                Arguments.of("a|", "", true),
                Arguments.of("a|", "a", true),
                Arguments.of("(histogram_2|0)", "0", true),
                Arguments.of("data(_histogram|_sparse|_empty)?", "data_sparse", true),
                Arguments.of("data(_histogram|_sparse|_empty)?", "data", true),
                Arguments.of("data(_histogram|_sparse|_empty)?", "data_x", false),
                // prefix, suffix, contains
                Arguments.of("foo.*", "foo", true),
                Arguments.of("foo.*", "foobar", true),
                Arguments.of("foo.*", "xfoo", false),
                Arguments.of("foo.+", "foo", false),
                Arguments.of("foo.+", "foo\n", true),
                Arguments.of(".*foo", "xxfoo", true),
                Arguments.of(".*foo", "foox", false),
                Arguments.of(".+foo", "foo", false),
                Arguments.of(".+foo", "xfoo", true),
                Arguments.of(".*foo.*", "xfoox", true),
                Arguments.of(".*foo.*", "fo", false),
                Arguments.of(".+foo.+", "afoob", true),
                Arguments.of(".+foo.+", "afoo", false),
                Arguments.of(".+foo.+", "fooa", false),
                Arguments.of(".*ry", "memory", true),
                Arguments.of("api-.+", "api-", false),
                Arguments.of(".+-server", "db-server", true),
                // case-insensitivity (RE2 folds Unicode: Kelvin sign and long s fold to k and s)
                Arguments.of("(?i)foo", "FoO", true),
                Arguments.of("(?i)foo.*", "FOObar", true),
                Arguments.of("(?i:PRO).*", "production", true),
                Arguments.of("((?i)PRO).*", "production", true),
                Arguments.of(".*(?i:TION).*?", "production", true),
                Arguments.of(".*((?i)DUC).*", "production", true),
                Arguments.of("(?i:PRODUCTION)", "production", true),
                Arguments.of("(?i:PRO)duction", "PROduction", true),
                Arguments.of("(?i:PRO)duction", "PRODUCTION", false),
                Arguments.of("(?i)(foo|bar)", "BAR", true),
                Arguments.of("(?i)k", "\u212A", true),
                Arguments.of("(?i)s", "\u017F", true),
                Arguments.of("(?i).*k.*", "x\u212Ax", true),
                Arguments.of("(?i)stra\u00DFe", "STRA\u00DFE", true),
                Arguments.of("(?i)stra\u00DFe", "STRASSE", false),
                Arguments.of("(?i)[a-c]", "B", true),
                Arguments.of("(?i)[^a]", "A", false),
                Arguments.of("(?i)\u03C3", "\u03A3", true),
                Arguments.of("(?i)foo(?-i)bar", "FOObar", true),
                Arguments.of("(?i)foo(?-i)bar", "FOOBAR", false),
                Arguments.of("(?i)a|b", "B", true),
                // escapes
                Arguments.of("a\\.b", "a.b", true),
                Arguments.of("a\\.b", "axb", false),
                Arguments.of("\\Qa.b\\E", "a.b", true),
                Arguments.of("\\Qa.b\\E", "axb", false),
                Arguments.of("\\Qa.b", "a.b", true),
                Arguments.of("\\x41", "A", true),
                Arguments.of("\\x{1F600}", "\uD83D\uDE00", true),
                Arguments.of("\\101", "A", true),
                Arguments.of("\\0", "\0", true),
                Arguments.of("\\12", "\n", true),
                Arguments.of("\\v", "\u000B", true),
                Arguments.of("\\a", "\u0007", true),
                Arguments.of("\\-", "-", true),
                Arguments.of("\\ ", " ", true),
                Arguments.of("request_duration_seconds\\d*", "request_duration_seconds12", true),
                // Perl classes are ASCII, \s excludes \v
                Arguments.of("\\d+", "123", true),
                Arguments.of("\\d", "\u0661", false),
                Arguments.of("\\s", " ", true),
                Arguments.of("\\s", "\u000B", false),
                Arguments.of("\\S", "\u000B", true),
                Arguments.of("\\w+", "a_Z9", true),
                Arguments.of("\\w", "\u00E9", false),
                Arguments.of("\\W", "\u00E9", true),
                // character classes as RE2 reads them
                Arguments.of("[a-c]+", "abc", true),
                Arguments.of("[a-c]+", "abd", false),
                Arguments.of("[]a]", "]", true),
                Arguments.of("[^]a]", "b", true),
                Arguments.of("[^]a]", "]", false),
                Arguments.of("[a-]", "-", true),
                Arguments.of("[-a]", "-", true),
                Arguments.of("[a-b-c]", "-", true),
                Arguments.of("[a[b]", "[", true),
                Arguments.of("[a&&b]", "&", true),
                Arguments.of("[a&&b]", "a", true),
                Arguments.of("[[:alpha:]]+", "abcXYZ", true),
                Arguments.of("[[:alpha:]]", "1", false),
                Arguments.of("[[:^alpha:]]", "1", true),
                Arguments.of("[[:space:]]", "\u000B", true),
                Arguments.of("[[:word:]]", "_", true),
                Arguments.of("[[:alpha]", "[", true),
                Arguments.of("[\\d\\-]+", "1-2", true),
                Arguments.of("[^\\d]", "5", false),
                Arguments.of("[\\D]", "x", true),
                Arguments.of("[^\\S]", " ", true),
                Arguments.of("[^\\S]", "\u000B", false),
                Arguments.of("[\\x41-\\x43]", "B", true),
                Arguments.of("[\\n]", "\n", true),
                Arguments.of("\\pL+", "h\u00E9llo", true),
                Arguments.of("\\pL", "1", false),
                Arguments.of("\\PL", "1", true),
                Arguments.of("\\p{Greek}+", "\u03B1\u03B2", true),
                Arguments.of("\\p{Greek}", "a", false),
                Arguments.of("\\p{^Greek}", "a", true),
                Arguments.of("[\\p{Lu}]", "A", true),
                Arguments.of("[^\\p{Lu}]", "A", false),
                Arguments.of("\\p{Any}", "\n", true),
                Arguments.of("\\pC", "\u0378", false), // unassigned: not in RE2's C
                Arguments.of("[\\x{1F600}-\\x{1F64F}]", "\uD83D\uDE42", true),
                // repetition
                Arguments.of("x{2,3}", "xx", true),
                Arguments.of("x{2,3}", "xxxx", false),
                Arguments.of("x{2,}", "xxxxx", true),
                Arguments.of("x{2}", "xx", true),
                Arguments.of("x{", "x{", true),
                Arguments.of("a{,2}", "a{,2}", true),
                Arguments.of("a{2", "a{2", true),
                Arguments.of("{", "{", true),
                Arguments.of("a{1000}", "a".repeat(1000), true),
                Arguments.of("a*?", "aaa", true),
                Arguments.of("(?U)a+", "aaa", true),
                Arguments.of("(a*)*", "aaa", true),
                Arguments.of("^*a", "a", true),
                Arguments.of("a*(?i)*", "aaa", true),
                // anchors and line mode: RE2 lines end at \n only
                Arguments.of("(?m)^foo$\\nbar", "foo\nbar", true),
                Arguments.of("(?m)a$", "a\n", false),
                Arguments.of("(?m)a$\\n", "a\n", true),
                Arguments.of("(?m)a\\n^", "a\n", true),
                Arguments.of("(?m)a$\\r\\n", "a\r\n", false),
                Arguments.of("a\\z", "a", true),
                Arguments.of("\\Aa", "a", true),
                Arguments.of("foo\\b.*", "foo bar", true),
                Arguments.of("foo\\b.*", "foobar", false),
                Arguments.of("foo\\B.*", "foobar", true),
                Arguments.of("foo\\b", "foo", true),
                Arguments.of("\u00E9\\b", "\u00E9", false), // \b is ASCII-only in RE2
                // groups
                Arguments.of("(?P<name>a)b", "ab", true),
                Arguments.of("(?<n_1>a)b", "ab", true),
                Arguments.of("(?:a|b)+", "abba", true),
                Arguments.of("()", "", true));
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("regexCases")
    void regexMatchesLikeRe2(String regex, String input, boolean expected) {
        assertThat(Matcher.regex("l", regex).matches(input)).isEqualTo(expected);
        assertThat(Matcher.notRegex("l", regex).matches(input)).isEqualTo(!expected);
    }

    static Stream<Arguments> invalidRegexes() {
        return Stream.of(
                Arguments.of("(", "missing closing )"),
                Arguments.of("(a|b", "missing closing )"),
                Arguments.of(")", "unexpected )"),
                Arguments.of("a)", "unexpected )"),
                Arguments.of("[a", "missing closing ]"),
                Arguments.of("[]", "missing closing ]"),
                Arguments.of("*a", "missing argument to repetition operator"),
                Arguments.of("a|*", "missing argument to repetition operator"),
                Arguments.of("(*)", "missing argument to repetition operator"),
                Arguments.of("a**", "invalid nested repetition operator"),
                Arguments.of("a*+", "possessive"),
                Arguments.of("a++", "possessive"),
                Arguments.of("a?+", "possessive"),
                Arguments.of("a{2}+", "invalid nested repetition operator"),
                Arguments.of("a{2}{3}", "invalid nested repetition operator"),
                Arguments.of("a*?+", "invalid nested repetition operator"),
                Arguments.of("(a)\\1", "backreferences"),
                Arguments.of("\\8", "backreferences"),
                Arguments.of("(?P<n>a)(?P=n)", "backreferences"),
                Arguments.of("(?=a)", "lookaround"),
                Arguments.of("(?!a)", "lookaround"),
                Arguments.of("(?<=a)b", "lookaround"),
                Arguments.of("(?<!a)b", "lookaround"),
                Arguments.of("(?>a)", "atomic"),
                Arguments.of("(?x)a", "Java-only"),
                Arguments.of("(?u)a", "Java-only"),
                Arguments.of("(?#c)a", "invalid or unsupported Perl syntax"),
                Arguments.of("(?)", "invalid or unsupported Perl syntax"),
                Arguments.of("(?i-)a", "invalid or unsupported Perl syntax"),
                Arguments.of("(?P<>a)", "invalid named capture"),
                Arguments.of("(?P<a-b>a)", "invalid named capture"),
                Arguments.of("\\e", "invalid escape sequence"),
                Arguments.of("\\h", "invalid escape sequence"),
                Arguments.of("\\R", "invalid escape sequence"),
                Arguments.of("\\Z", "invalid escape sequence"),
                Arguments.of("\\C", "invalid escape sequence"),
                Arguments.of("\\k<n>", "invalid escape sequence"),
                Arguments.of("\\cA", "invalid escape sequence"),
                Arguments.of("\\", "trailing backslash"),
                Arguments.of("\\x{110000}", "invalid escape sequence"),
                Arguments.of("\\xZZ", "invalid escape sequence"),
                Arguments.of("\\x4", "invalid escape sequence"),
                Arguments.of("a{1001}", "invalid repeat count"),
                Arguments.of("a{3,2}", "invalid repeat count"),
                Arguments.of("[z-a]", "invalid character class range"),
                Arguments.of("[[:foo:]]", "invalid character class range"),
                Arguments.of("\\p{Foo}", "invalid character class range"),
                Arguments.of("[\\b]", "invalid escape sequence"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRegexes")
    void rejectsWhatRe2RejectsOrJavaWouldReadDifferently(String regex, String message) {
        assertThatThrownBy(() -> Matcher.regex("l", regex))
                .isInstanceOf(RegexSyntaxException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("invalid regular expression \"" + regex + "\"");
    }

    @Test
    void longValuesDoNotOverflowTheStackOrFailClearly() {
        String value = "ab".repeat(50_000);
        assertThat(Matcher.regex("l", "(a|b)*").matches(value)).isTrue();
        assertThat(Matcher.regex("l", "(?i)(A|B)+").matches(value)).isTrue();
        assertThat(Matcher.regex("l", "(a|b)*c").matches(value)).isFalse();
        // A million characters overflow any usual thread stack in Java's engine.
        String huge = "ab".repeat(500_000);
        assertThatThrownBy(() -> Matcher.regex("l", "(ab|ba)*").matches(huge))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too complex for a value of 1000000 characters");
    }

    @Test
    void emptyValueIsAMissingLabel() {
        assertThat(Matcher.equal("a", "").matches(null)).isTrue();
        assertThat(Matcher.equal("a", "").matches("x")).isFalse();
        assertThat(Matcher.equal("a", "").matchesEmpty()).isTrue();
        assertThat(Matcher.notEqual("a", "").matchesEmpty()).isFalse();
        assertThat(Matcher.notEqual("a", "x").matchesEmpty()).isTrue();
        assertThat(Matcher.equal("a", "x").matchesEmpty()).isFalse();
        assertThat(Matcher.regex("a", ".*").matchesEmpty()).isTrue();
        assertThat(Matcher.regex("a", ".+").matchesEmpty()).isFalse();
        assertThat(Matcher.notRegex("a", ".+").matchesEmpty()).isTrue();
        assertThat(Matcher.notRegex("a", ".*").matchesEmpty()).isFalse();
        assertThat(Matcher.regex("a", "x|").matchesEmpty()).isTrue();
        assertThat(Matcher.notRegex("a", "x|").matchesEmpty()).isFalse();
        assertThat(Matcher.regex("a", "x?").matchesEmpty()).isTrue();
        assertThat(Matcher.regex("a", "(?i)x").matchesEmpty()).isFalse();
    }

    @Test
    void setMatchesAndPrefixExposeTheFastPaths() {
        assertThat(Matcher.regex("a", "x|y|z").setMatches()).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(Matcher.regex("a", "(x|y)|z|").setMatches()).containsExactlyInAnyOrder("x", "y", "z", "");
        assertThat(Matcher.regex("a", "foo\\.bar").setMatches()).containsExactly("foo.bar");
        assertThat(Matcher.notRegex("a", "x|y").setMatches()).containsExactlyInAnyOrder("x", "y");
        assertThat(Matcher.equal("a", "v").setMatches()).containsExactly("v");
        assertThat(Matcher.notEqual("a", "v").setMatches()).containsExactly("v");
        assertThat(Matcher.regex("a", "(?i)x|y").setMatches()).isNull();
        assertThat(Matcher.regex("a", "x.*").setMatches()).isNull();
        assertThat(Matcher.regex("a", "x[0-9]").setMatches()).isNull();
        assertThat(Matcher.regex("a", "(?i)123").setMatches()).containsExactly("123");

        assertThat(Matcher.regex("a", "foo.*").regexPrefix()).isEqualTo("foo");
        assertThat(Matcher.regex("a", "foo.+").regexPrefix()).isEqualTo("foo");
        assertThat(Matcher.regex("a", ".*").regexPrefix()).isEqualTo("");
        assertThat(Matcher.regex("a", "(?i)foo.*").regexPrefix()).isNull();
        assertThat(Matcher.regex("a", ".*foo").regexPrefix()).isNull();
        assertThat(Matcher.regex("a", "(?-s)foo.*").regexPrefix()).isNull();
        assertThat(Matcher.equal("a", "foo").regexPrefix()).isNull();
    }

    @Test
    void toStringIsPromQl() {
        assertThat(Matcher.equal("job", "api")).hasToString("job=\"api\"");
        assertThat(Matcher.notEqual("job", "a\"b\\c")).hasToString("job!=\"a\\\"b\\\\c\"");
        assertThat(Matcher.regex("path", "\\d+")).hasToString("path=~\"\\\\d+\"");
        assertThat(Matcher.notRegex("x", "a\nb\tc")).hasToString("x!~\"a\\nb\\tc\"");
        assertThat(Matcher.equal("x", "\u0001\u007F")).hasToString("x=\"\\x01\\x7f\"");
        assertThat(Matcher.equal("x", "caf\u00E9 \u00A0\u2028")).hasToString("x=\"caf\u00E9 \\u00a0\\u2028\"");
        assertThat(Matcher.equal("x", "\uD83D\uDE00")).hasToString("x=\"\uD83D\uDE00\"");
        assertThat(Matcher.equal("x", "\uDB80\uDC00")).hasToString("x=\"\\U000f0000\"");
        assertThat(Matcher.equal("service.name", "a")).hasToString("\"service.name\"=\"a\"");
        assertThat(Matcher.equal("1a", "a")).hasToString("\"1a\"=\"a\"");
        assertThat(Matcher.equal("__name__", "up")).hasToString("__name__=\"up\"");
    }

    @Test
    void inverseAndEquality() {
        Matcher m = Matcher.regex("a", "x.*");
        assertThat(m.inverse()).isEqualTo(Matcher.notRegex("a", "x.*"));
        assertThat(m.inverse().inverse()).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(Matcher.equal("a", "b").inverse().type()).isEqualTo(Matcher.Type.NOT_EQUAL);
        assertThat(Matcher.equal("a", "b")).isNotEqualTo(Matcher.equal("a", "c"));
        assertThat(Matcher.Type.NOT_REGEX.negative()).isTrue();
        assertThat(Matcher.Type.REGEX.negative()).isFalse();
    }

    /**
     * Property: for regexes in the shapes the fast paths take, the fast path and the translated
     * Java pattern agree on every input. Both come from the same parse, so this checks the fast
     * paths against the general translation over many shapes and strings.
     */
    @Test
    void fastPathsAgreeWithTheRegexEngine() {
        Random rnd = new Random(42);
        String[] atoms = {"a", "b", "ab", "A", "\\.", ".*", ".+", "(?i:a)", "(?i)ab", "k", "(?-s:.*)", "^", "$"};
        String[] alphabet = {"", "a", "b", "A", "B", "ab", "AB", "ba", ".", "\n", "\u212A", "k", "K", "aab", "xab"};
        int fastSeen = 0;
        for (int round = 0; round < 3000; round++) {
            StringBuilder re = new StringBuilder();
            int alts = 1 + rnd.nextInt(3);
            for (int a = 0; a < alts; a++) {
                if (a > 0) {
                    re.append('|');
                }
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    re.append(atoms[rnd.nextInt(atoms.length)]);
                }
            }
            String regex = re.toString();
            Re2Regex.Node tree;
            try {
                tree = Re2Regex.parse(regex);
            } catch (RegexSyntaxException e) {
                continue; // e.g. a flag group followed by nothing
            }
            StringMatcher fast = StringMatcher.of(tree);
            if (fast == null) {
                continue;
            }
            fastSeen++;
            java.util.regex.Pattern p = Re2Regex.toJava(regex, tree);
            for (int k = 0; k < 20; k++) {
                String s = alphabet[rnd.nextInt(alphabet.length)] + alphabet[rnd.nextInt(alphabet.length)]
                        + (rnd.nextBoolean() ? alphabet[rnd.nextInt(alphabet.length)] : "");
                assertThat(fast.matches(s)).as("%s ~ %s", regex, s).isEqualTo(p.matcher(s).matches());
            }
        }
        assertThat(fastSeen).isGreaterThan(500);
    }

    @Test
    void matchesTheSelectorsOfThePromqlConformanceSuite() {
        // A few selector regexes as the conformance data uses them, against values it stores.
        List<Object[]> cases = List.of(
                new Object[] {"__name__", "http_requests(_histogram)?", "http_requests_histogram", true},
                new Object[] {"__name__", ".+_info", "build_info", true},
                new Object[] {"__name__", ".+_info", "_info", false},
                new Object[] {"instance", "histogram_[0-9]", "histogram_10", false},
                new Object[] {"method", ".x", "ax", true},
                new Object[] {"group", ".*?(?i:PRO).*", "production", true});
        for (Object[] c : cases) {
            Matcher m = Matcher.regex((String) c[0], (String) c[1]);
            assertThat(m.matches((String) c[2])).as(m + " ~ " + c[2]).isEqualTo(c[3]);
        }
        assertThat(new java.util.HashSet<>(List.of(Matcher.equal("a", "b"), Matcher.equal("a", "b")))).hasSize(1);
    }
}
