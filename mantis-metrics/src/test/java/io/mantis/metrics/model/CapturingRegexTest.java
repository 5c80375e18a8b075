package io.mantis.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapturingRegexTest {

    /** The groups of a whole-input match, or null when it does not match. */
    private static List<String> groups(String regex, String input) {
        java.util.regex.Matcher m = CapturingRegex.compile(regex).matcher(input);
        if (!m.matches()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            out.add(m.group(i));
        }
        return out;
    }

    @Test
    void groupsAreNumberedByTheirOpeningParenthesis() {
        assertThat(groups("((a)(b))(?:c)(?i:(d))", "abcD")).containsExactly("ab", "a", "b", "D");
        CapturingRegex re = CapturingRegex.compile("(?P<host>[^:]+):(?<port>\\d+)");
        assertThat(re.group("host")).isEqualTo(1);
        assertThat(re.group("port")).isEqualTo(2);
        assertThat(re.group("nope")).isEqualTo(-1);
        assertThat(groups("(x)?y", "y")).containsExactly((String) null);
    }

    @Test
    void lazinessDecidesWhatGroupsCapture() {
        assertThat(groups("(.*)(\\d+)", "abc123")).containsExactly("abc12", "3");
        assertThat(groups("(.*?)(\\d+)", "abc123")).containsExactly("abc", "123");
        // (?U) swaps greedy and lazy, as in Go.
        assertThat(groups("(?U)(.*)(\\d+)", "abc123")).containsExactly("abc", "123");
        assertThat(groups("(?U)(.*?)(\\d+)", "abc123")).containsExactly("abc12", "3");
        // The leftmost alternative wins, as in Go.
        assertThat(groups("(a|ab)(c|bcd)", "abcd")).containsExactly("a", "bcd");
    }

    @Test
    void re2MeaningsNotJavas() {
        assertThat(groups("([[:alpha:]]+)-([[:digit:]]+)", "ab-12")).containsExactly("ab", "12");
        assertThat(groups("(.+)", "a\nb")).as("dot matches newline, as in Prometheus").containsExactly("a\nb");
        assertThat(groups("(?i)(é+)", "ÉÉ")).as("case folding beyond ASCII").containsExactly("ÉÉ");
        assertThat(groups("a$", "a\n")).as("$ is the end of text").isNull();
    }

    @Test
    void whatRe2RefusesIsRefused() {
        assertThatThrownBy(() -> CapturingRegex.compile("(a)\\1")).isInstanceOf(RegexSyntaxException.class);
        assertThatThrownBy(() -> CapturingRegex.compile("a(?=b)")).isInstanceOf(RegexSyntaxException.class);
        assertThatThrownBy(() -> CapturingRegex.compile("a*+")).isInstanceOf(RegexSyntaxException.class);
        assertThatThrownBy(() -> CapturingRegex.compile("(?P<x>a)(?P<x>b)")).isInstanceOf(RegexSyntaxException.class)
                .hasMessageContaining("duplicate capture group name");
        assertThatThrownBy(() -> CapturingRegex.compile("(a")).isInstanceOf(RegexSyntaxException.class);
    }
}
