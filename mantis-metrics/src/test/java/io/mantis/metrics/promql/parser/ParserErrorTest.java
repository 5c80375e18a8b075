package io.mantis.metrics.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.promql.ParseException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Queries that must fail, with the exact message (position included) Prometheus gives. */
class ParserErrorTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                // Empty input and lexical errors.
                Arguments.of("", "unknown position: parse error: no expression found in input"),
                Arguments.of("# just a comment\n\n", "1:1: parse error: no expression found in input"),
                Arguments.of("1+", "1:3: parse error: unexpected end of input"),
                Arguments.of("1 /", "1:4: parse error: unexpected end of input"),
                Arguments.of(".", "1:1: parse error: unexpected character: '.'"),
                Arguments.of("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""),
                Arguments.of("100..4", "1:1: parse error: bad number or duration syntax: \"100..\""),
                Arguments.of("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""),
                Arguments.of("*1", "1:1: parse error: unexpected <op:*>"),
                Arguments.of("@@", "1:1: parse error: unexpected <op:@>"),
                Arguments.of("(1))", "1:5: parse error: unexpected right parenthesis ')'"),
                Arguments.of("((1)", "1:5: parse error: unclosed left parenthesis"),
                Arguments.of("(", "1:2: parse error: unclosed left parenthesis"),
                Arguments.of("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
                Arguments.of("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
                Arguments.of("foo]", "1:4: parse error: unexpected right bracket ']'"),
                Arguments.of("foo[5m[", "1:7: parse error: unexpected left bracket '['"),
                Arguments.of("foo[5m", "1:7: parse error: unclosed left bracket"),
                Arguments.of("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
                Arguments.of("foo[5y1hs]", "1:5: parse error: not a valid duration string: \"5y1hs\""),
                Arguments.of("foo[5m:1m:1m]", "1:10: parse error: unexpected colon ':'"),
                Arguments.of("foo[:5m]", "1:6: parse error: unexpected colon before duration in duration expression"),
                Arguments.of("foo[5m x]", "1:8: parse error: unexpected character: 'x', expected ':'"),
                Arguments.of("foo[x]", "1:5: parse error: unexpected character in duration expression: 'x'"),
                Arguments.of("foo{", "1:5: parse error: unexpected end of input inside braces"),
                Arguments.of("foo{1}", "1:5: parse error: unexpected character inside braces: '1'"),
                Arguments.of("foo{{", "1:5: parse error: unexpected left brace '{'"),
                Arguments.of("foo{a!b}", "1:6: parse error: unexpected character after '!' inside braces: 'b'"),
                Arguments.of("\"unterminated", "1:1: parse error: unterminated quoted string"),
                Arguments.of("`unterminated", "1:1: parse error: unterminated raw string"),
                Arguments.of("foo + \"a\\qb\"", "1:7: parse error: unknown escape sequence U+0071 'q'"),
                Arguments.of("\"\\xZZ\"", "1:1: parse error: illegal character U+005A 'Z' in escape sequence"),
                Arguments.of("\"\\u12", "1:1: parse error: escape sequence not terminated"),
                Arguments.of("\"\\uD800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"),
                Arguments.of("'\\\"'", "1:1: parse error: unknown escape sequence U+0022 '\"'"),
                Arguments.of("1e400", "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of range"),
                // Syntax.
                Arguments.of("foo bar", "1:5: parse error: unexpected identifier \"bar\""),
                Arguments.of("foo +\n  bar baz", "2:7: parse error: unexpected identifier \"baz\""),
                Arguments.of("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
                Arguments.of("foo + group_left(baz) bar", "1:7: parse error: unexpected <group_left>"),
                Arguments.of("foo{a}", "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"),
                Arguments.of("foo{a=b}", "1:7: parse error: unexpected identifier \"b\" in label matching, expected string"),
                Arguments.of("foo{a=}", "1:7: parse error: unexpected \"}\" in label matching, expected string"),
                Arguments.of("foo{a=\"b\" c=\"d\"}", "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""),
                Arguments.of("foo{a=\"b\",,}", "1:11: parse error: unexpected \",\" in label matching, expected label"),
                Arguments.of("sum foo", "1:5: parse error: unexpected identifier \"foo\" in aggregation"),
                Arguments.of("sum by (foo)", "1:13: parse error: unexpected end of input in aggregation"),
                Arguments.of("sum(foo bar)", "1:9: parse error: unexpected identifier \"bar\" in aggregation"),
                Arguments.of("sum(rate(foo bar))", "1:14: parse error: unexpected identifier \"bar\" in aggregation"),
                Arguments.of("rate(foo bar)", "1:10: parse error: unexpected identifier \"bar\""),
                Arguments.of("sum by foo (x)", "1:8: parse error: unexpected identifier \"foo\" in grouping opts, expected \"(\""),
                Arguments.of("sum by (1) (x)", "1:9: parse error: unexpected number \"1\" in grouping opts, expected label"),
                Arguments.of("sum by (a b) (x)", "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""),
                Arguments.of("sum(foo) by (a) by (b)", "1:17: parse error: unexpected <by>"),
                Arguments.of("rate(foo[5m],)", "1:13: parse error: trailing commas not allowed in function call args"),
                Arguments.of("foo[]", "1:5: parse error: unexpected \"]\" in subquery selector, expected duration"),
                Arguments.of("foo[5m 1m]", "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\""),
                Arguments.of("foo @", "1:6: parse error: unexpected end of input in @, expected timestamp"),
                Arguments.of("foo @ start", "1:12: parse error: unexpected end of input in @, expected timestamp"),
                Arguments.of("foo offset", "1:11: parse error: unexpected end of input in offset, expected number, duration, or step()"),
                // Modifiers in the wrong place.
                Arguments.of("1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
                Arguments.of("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
                Arguments.of("sum(foo) @ 1", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
                Arguments.of("foo[5m] @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
                Arguments.of("foo @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
                Arguments.of("foo @ 1e19", "1:1: parse error: timestamp out of bounds for @ modifier: 10000000000000000000.000000"),
                Arguments.of("foo offset 5m [5m]", "1:15: parse error: no offset modifiers allowed before range"),
                Arguments.of("foo @ 100 [5m]", "1:11: parse error: no @ modifiers allowed before range"),
                Arguments.of("(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"),
                Arguments.of("foo[5m][5m]", "1:8: parse error: ranges only allowed for vector selectors"),
                Arguments.of("foo[0s]", "1:5: parse error: duration must be greater than 0"),
                Arguments.of("foo[5m:0s]", "1:8: parse error: duration must be greater than 0"),
                // Types.
                Arguments.of("1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
                Arguments.of("foo or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"),
                Arguments.of("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
                Arguments.of("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
                Arguments.of("foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
                Arguments.of("foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"),
                Arguments.of("foo and on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
                Arguments.of("foo unless on(bar) group_right bar", "1:1: parse error: no grouping allowed for \"unless\" operation"),
                Arguments.of("foo * on(test,blub) group_left(test) bar", "1:5: parse error: label \"test\" must not occur in ON and GROUP clause at once"),
                Arguments.of("\"a\" + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
                Arguments.of("1 + foo[5m]", "1:5: parse error: binary expression must contain only scalar and instant vector types"),
                Arguments.of("-\"string\"", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\""),
                Arguments.of("-test[5m]", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""),
                Arguments.of("foo[5m:1m][5m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
                Arguments.of("1[5m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got scalar instead"),
                Arguments.of("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("{x=~\".*\", y!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
                Arguments.of("sum()", "1:1: parse error: no arguments for aggregate expression provided"),
                Arguments.of("sum(foo, bar)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"),
                Arguments.of("topk(some_metric)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
                Arguments.of("topk(some_metric, other_metric)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
                Arguments.of("count_values(5, other_metric)", "1:14: parse error: expected type string in aggregation parameter, got scalar"),
                Arguments.of("sum(foo[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
                Arguments.of("non_existent_function_far_bar()", "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""),
                Arguments.of("time(5)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
                Arguments.of("floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"),
                Arguments.of("floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
                Arguments.of("rate(some_metric)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
                Arguments.of("label_replace(a, b, c)", "1:1: parse error: expected 5 argument(s) in call to \"label_replace\", got 3"),
                Arguments.of("label_replace(a, \"b\", \"c\", \"d\", 1)", "1:33: parse error: expected type string in call to function \"label_replace\", got scalar"),
                Arguments.of("round(foo, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"),
                Arguments.of("label_join()", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 0"),
                Arguments.of("label_join(foo, \"a\", \",\", \"b\", 3)", "1:32: parse error: expected type string in call to function \"label_join\", got scalar"),
                // The first error in the text wins over type errors: syntax is checked first.
                Arguments.of("rate(foo) + bar{", "1:17: parse error: unexpected end of input inside braces"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void failsWithPrometheusMessage(String query, String message) {
        assertThatThrownBy(() -> Parser.parse(query, ParserOptions.ALL))
                .isInstanceOf(ParseException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> featureErrors() {
        return Stream.of(
                Arguments.of("limitk(1, foo)", "1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions"),
                Arguments.of("sort_by_label(foo, \"a\")", "1:1: parse error: function \"sort_by_label\" is not enabled"),
                Arguments.of("foo + step()", "1:7: parse error: function \"step\" is not enabled"),
                Arguments.of("foo[step()]", "1:5: parse error: experimental duration expression is not enabled"),
                Arguments.of("foo[1m + 1m]", "1:5: parse error: experimental duration expression is not enabled"),
                Arguments.of("foo offset (1m)", "1:12: parse error: experimental duration expression is not enabled"),
                Arguments.of("foo smoothed", "1:1: parse error: smoothed modifier is experimental and not enabled"),
                Arguments.of("rate(foo[1m] anchored)", "1:6: parse error: anchored modifier is experimental and not enabled"),
                Arguments.of("a + fill(0) b", "1:1: parse error: binop fill modifiers are experimental and not enabled"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("featureErrors")
    void experimentalSyntaxNeedsItsFeature(String query, String message) throws ParseException {
        assertThatThrownBy(() -> Parser.parse(query)).isInstanceOf(ParseException.class).hasMessage(message);
        assertThat(Parser.parse(query, ParserOptions.ALL)).isNotNull();
    }

    static Stream<Arguments> experimentalErrors() {
        return Stream.of(
                Arguments.of("info(foo, bar)", "1:11: parse error: expected label selectors only, got vector selector instead"),
                Arguments.of("info(foo, 1)", "1:1: parse error: expected type instant vector in call to function \"info\", got scalar"),
                Arguments.of("info(foo, sum({a=\"b\"}))", "1:11: parse error: expected label selectors only"),
                Arguments.of("1 + fill(0) 2", "1:1: parse error: filling in missing series only allowed between instant vectors"),
                Arguments.of("a and fill(0) b", "1:1: parse error: filling in missing series not allowed for set operators"),
                Arguments.of("a + fill(0) fill_left(1) b", "1:13: parse error: fill modifier may not be set multiple times"),
                Arguments.of("foo[5m] anchored smoothed", "1:1: parse error: anchored and smoothed modifiers cannot be used together"),
                Arguments.of("foo[5m:1m] anchored", "1:1: parse error: anchored modifier is not supported for subqueries"),
                Arguments.of("sum(foo) smoothed", "1:1: parse error: smoothed modifier not implemented"),
                Arguments.of("foo[min_of(1m)]", "1:14: parse error: unexpected \")\" in subquery selector, expected \",\""),
                Arguments.of("foo offset step", "1:12: parse error: unexpected \"step\" in offset, expected number, duration, or step()"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("experimentalErrors")
    void experimentalSyntaxIsCheckedToo(String query, String message) {
        assertThatThrownBy(() -> Parser.parse(query, ParserOptions.ALL)).isInstanceOf(ParseException.class)
                .hasMessage(message);
    }

    @Test
    void errorsTellLineColumnAndRange() {
        assertThatThrownBy(() -> Parser.parse("sum(\n  rate(foo)\n)"))
                .isInstanceOfSatisfying(ParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(8);
                    assertThat(e.start()).isEqualTo(12);
                    assertThat(e.end()).isEqualTo(15);
                    assertThat(e.detail()).isEqualTo("expected type range vector in call to function \"rate\", got instant vector");
                });
    }
}
