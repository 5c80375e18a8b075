package io.mantis.collector.processor.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.collector.processor.shared.GoRegex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Patterns in collector configs are Go (RE2) syntax; these are the places where Java would read them differently. */
class GoRegexTest {
    @Test
    void namedGroupsMayHaveUnderscoresAndRepeatAndUnnamedOnesAreListedAsNull() {
        GoRegex re = GoRegex.compile("(?P<user_id>\\d+)-(\\w+)-(?<user_id>\\d+)(?:x)?");
        assertThat(re.groupNames()).isEqualTo(Arrays.asList("user_id", null, "user_id"));
        var m = re.matcher("12-ab-34");
        assertThat(m.find()).isTrue();
        assertThat(m.group(3)).isEqualTo("34");
    }

    @Test
    void posixClassesInsideBrackets() {
        assertThat(GoRegex.compile("^[[:digit:]]+$").find("123")).isTrue();
        assertThat(GoRegex.compile("^[[:digit:]]+$").find("12a")).isFalse();
        assertThat(GoRegex.compile("^[[:^alpha:]]+$").find("123")).isTrue();
        assertThat(GoRegex.compile("[[:alpha:]]").find(":")).isFalse();
        assertThatThrownBy(() -> GoRegex.compile("[[:nope:]]")).hasMessageContaining("unknown character class");
    }

    @Test
    void dollarMatchesOnlyAtTheEndUnlessMultilineAndDotExcludesOnlyNewline() {
        assertThat(GoRegex.compile("abc$").find("abc\n")).isFalse();
        assertThat(GoRegex.compile("abc$").find("abc")).isTrue();
        assertThat(GoRegex.compile("(?m)abc$").find("abc\nx")).isTrue();
        assertThat(GoRegex.compile("a.b").find("a\rb")).isTrue();
        assertThat(GoRegex.compile("a.b").find("a\nb")).isFalse();
        assertThat(GoRegex.compile("[$]").find("$")).isTrue();
        assertThat(GoRegex.compile("\\$").find("$")).isTrue();
    }

    @Test
    void bracketsThatJavaWouldNestOrIntersectAreLiterals() {
        assertThat(GoRegex.compile("[]a]").find("]")).isTrue();
        assertThat(GoRegex.compile("[a[]").find("[")).isTrue();
        assertThat(GoRegex.compile("[a&&b]").find("&")).isTrue();
        assertThat(GoRegex.compile("\\Q(?P<x>$\\E").find("(?P<x>$")).isTrue();
    }

    @Test
    void matchingIsUnanchoredAndCaseFoldingIsUnicode() {
        assertThat(GoRegex.compile("ell").find("hello")).isTrue();
        assertThat(GoRegex.compile("(?i)straße").find("STRAßE")).isTrue();
        assertThat(GoRegex.compile("(?i)é").find("É")).isTrue();
    }
}
