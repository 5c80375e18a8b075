package io.mantis.metrics.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.AggregationOp;
import io.mantis.metrics.promql.ast.AtModifier;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.BinaryOp;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.DurationExpr;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.Functions;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.PosRange;
import io.mantis.metrics.promql.ast.StringLiteral;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.UnaryExpr;
import io.mantis.metrics.promql.ast.ValueType;
import io.mantis.metrics.promql.ast.VectorMatching;
import io.mantis.metrics.promql.ast.VectorSelector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParserTest {

    private static Expr parse(String q) throws ParseException {
        return Parser.parse(q, ParserOptions.ALL);
    }

    /** The tree as fully parenthesised text, to state grouping plainly. */
    private static String grouping(Expr e) {
        return switch (e) {
            case BinaryExpr b -> "(" + grouping(b.lhs()) + " " + b.op().symbol() + " " + grouping(b.rhs()) + ")";
            case UnaryExpr u -> "(" + (u.negate() ? "-" : "+") + grouping(u.expr()) + ")";
            case ParenExpr p -> "[" + grouping(p.expr()) + "]";
            default -> e.toString();
        };
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"),
                Arguments.of("-2 ^ 2", "(-(2 ^ 2))"),
                Arguments.of("-1^-2", "(-(1 ^ -2))"),
                Arguments.of("-1 * 2", "(-1 * 2)"),
                Arguments.of("-a * b", "((-a) * b)"),
                Arguments.of("-a ^ b * c", "((-(a ^ b)) * c)"),
                Arguments.of("a ^ -b * c", "((a ^ (-b)) * c)"),
                Arguments.of("a + b * c", "(a + (b * c))"),
                Arguments.of("a * b + c", "((a * b) + c)"),
                Arguments.of("a - b - c", "((a - b) - c)"),
                Arguments.of("a / b / c", "((a / b) / c)"),
                Arguments.of("a % b * c atan2 d", "(((a % b) * c) atan2 d)"),
                Arguments.of("a + b atan2 c", "(a + (b atan2 c))"),
                Arguments.of("a + b > c * d", "((a + b) > (c * d))"),
                Arguments.of("a == b != c", "((a == b) != c)"),
                Arguments.of("a and b or c unless d", "((a and b) or (c unless d))"),
                Arguments.of("foo + bar or bla and blub", "((foo + bar) or (bla and blub))"),
                Arguments.of("foo and bar unless baz or qux", "(((foo and bar) unless baz) or qux)"),
                Arguments.of("a > bool b + c", "(a > (b + c))"),
                Arguments.of("a * (b + c)", "(a * [(b + c)])"),
                Arguments.of("a </ 2 + 1", "((a </ 2) + 1)"),
                Arguments.of("-foo offset 5m", "(-foo offset 5m)"),
                Arguments.of("a + b offset 5m", "(a + b offset 5m)"),
                Arguments.of("metric offset -2 ^ 2", "(metric offset -2s ^ 2)"),
                Arguments.of("metric offset 100 + 2", "(metric offset 1m40s + 2)"),
                Arguments.of("metric offset -step() * 2", "(metric offset -step() * 2)"),
                Arguments.of("+1 + -2 * 1", "(1 + (-2 * 1))"),
                Arguments.of("1 < bool 2 - 1 * 2", "(1 < (2 - (1 * 2)))"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void precedenceAndAssociativity(String query, String grouped) throws ParseException {
        assertThat(grouping(parse(query))).isEqualTo(grouped);
    }

    @Test
    void numberLiterals() throws ParseException {
        assertThat(number("1")).isEqualTo(1);
        assertThat(number("1e3")).isEqualTo(1000);
        assertThat(number("5e-3")).isEqualTo(0.005);
        assertThat(number("0x1F")).isEqualTo(31);
        assertThat(number("0xc")).isEqualTo(12);
        assertThat(number("0755")).isEqualTo(493);
        assertThat(number("08")).isEqualTo(8);
        assertThat(number(".5")).isEqualTo(0.5);
        assertThat(number("5.")).isEqualTo(5);
        assertThat(number("1_000")).isEqualTo(1000);
        assertThat(number("1_000.5")).isEqualTo(1000.5);
        assertThat(number("+5.5e-3")).isEqualTo(0.0055);
        assertThat(number("-0755")).isEqualTo(-493);
        assertThat(number("Inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(number("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(number("NaN")).isNaN();
        assertThat(number("nAn")).isNaN();
        assertThat(number("5m")).isEqualTo(300);
        assertThat(number("1h30m")).isEqualTo(5400);
        assertThat(number("-1s500ms")).isEqualTo(-1.5);
        NumberLiteral neg = (NumberLiteral) parse(" -1");
        assertThat(neg.pos()).isEqualTo(new PosRange(1, 3));
    }

    private static double number(String q) throws ParseException {
        return ((NumberLiteral) parse(q)).value();
    }

    @Test
    void stringLiterals() throws ParseException {
        assertThat(((StringLiteral) parse("\"a\\n\\t\\\"b\\\\\"")).value()).isEqualTo("a\n\t\"b\\");
        assertThat(((StringLiteral) parse("'it\\'s'")).value()).isEqualTo("it's");
        assertThat(((StringLiteral) parse("`raw\\n\nline`")).value()).isEqualTo("raw\\n\nline");
        assertThat(((StringLiteral) parse("\"\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\v\\r\"")).value())
                .isEqualTo("AAé\uD83D\uDE00\u0007\b\f\u000b\r");
        assertThat(parse("\"x\"").type()).isEqualTo(ValueType.STRING);
    }

    @Test
    void commentsAreIgnored() throws ParseException {
        assertThat(parse("sum(foo) # total\n  by (job) # per job").toString()).isEqualTo("sum by (job) (foo)");
        assertThat(parse("foo{# inside\n a=\"b\"}").toString()).isEqualTo("foo{a=\"b\"}");
    }

    @Test
    void vectorSelector() throws ParseException {
        VectorSelector v = (VectorSelector) parse("foo{a=\"b\", c!=\"d\", e=~\"f.*\", g!~\"h\",}");
        assertThat(v.name()).isEqualTo("foo");
        assertThat(v.matchers()).containsExactly(Matcher.equal("__name__", "foo"), Matcher.equal("a", "b"),
                Matcher.notEqual("c", "d"), Matcher.regex("e", "f.*"), Matcher.notRegex("g", "h"));
        assertThat(v.pos()).isEqualTo(new PosRange(0, 37));
        assertThat(v.type()).isEqualTo(ValueType.VECTOR);
        assertThat(v.offset()).isNull();
        assertThat(v.at()).isNull();
        // Keywords are names inside braces and metric names on their own.
        VectorSelector k = (VectorSelector) parse("offset{step=\"1s\", by=\"x\"}");
        assertThat(k.name()).isEqualTo("offset");
        assertThat(((VectorSelector) parse("sum")).name()).isEqualTo("sum");
        assertThat(((BinaryExpr) parse("foo * sum")).rhs()).isInstanceOf(VectorSelector.class);
        assertThat(((VectorSelector) parse("anchored{job=\"test\"}")).name()).isEqualTo("anchored");
        assertThat(((VectorSelector) parse("foo:bar:baz")).name()).isEqualTo("foo:bar:baz");
    }

    @Test
    void utf8QuotedNames() throws ParseException {
        VectorSelector v = (VectorSelector) parse("{\"my.metric\", \"label.name\"=\"v\", 'x-y'=~\"z\"}");
        assertThat(v.name()).isNull();
        assertThat(v.matchers()).containsExactly(Matcher.equal("__name__", "my.metric"), Matcher.equal("label.name", "v"),
                Matcher.regex("x-y", "z"));
        assertThat(v.toString()).isEqualTo("{\"label.name\"=\"v\",\"x-y\"=~\"z\",__name__=\"my.metric\"}");
        AggregateExpr a = (AggregateExpr) parse("sum by (\"label.name\", job) ({\"my.metric\"})");
        assertThat(a.grouping()).containsExactly("label.name", "job");
        assertThat(a.toString()).isEqualTo("sum by (\"label.name\", job) ({__name__=\"my.metric\"})");
    }

    @Test
    void rangeSelectorAndModifiersInAnyOrder() throws ParseException {
        MatrixSelector m = (MatrixSelector) parse("foo[5m] offset -1h @ 100.5");
        assertThat(m.rangeMillis()).isEqualTo(300_000);
        assertThat(m.selector().offsetMillis()).isEqualTo(-3_600_000);
        assertThat(m.selector().at()).isEqualTo(AtModifier.at(100_500));
        assertThat(m.pos()).isEqualTo(new PosRange(0, 26));
        assertThat(m.type()).isEqualTo(ValueType.MATRIX);
        MatrixSelector m2 = (MatrixSelector) parse("foo[5m] @ 100.5 offset -1h");
        assertThat(Trees.normalize(m2)).isEqualTo(Trees.normalize(m));
        assertThat(m.toString()).isEqualTo("foo[5m] @ 100.500 offset -1h");
        VectorSelector v = (VectorSelector) parse("foo @ start() offset 1m");
        assertThat(v.at()).isEqualTo(AtModifier.START);
        assertThat(((VectorSelector) parse("foo @ end()")).at().resolve(1000, 2000)).isEqualTo(2000);
        assertThat(((VectorSelector) parse("foo @ -1.5")).at().timestampMillis()).isEqualTo(-1500);
        assertThat(((MatrixSelector) parse("foo[1800]")).rangeMillis()).isEqualTo(1_800_000);
        assertThat(((MatrixSelector) parse("foo[1.5]")).rangeMillis()).isEqualTo(1_500);
        assertThat(((MatrixSelector) parse("foo[1y2w3d4h5m6s7ms]")).rangeMillis())
                .isEqualTo(((365L + 14 + 3) * 24 * 3600 + 4 * 3600 + 5 * 60 + 6) * 1000 + 7);
        assertThat(((VectorSelector) parse("foo offset 0s")).offset()).isNull();
    }

    @Test
    void subqueries() throws ParseException {
        SubqueryExpr s = (SubqueryExpr) parse("rate(foo[1m])[1h:5m] @ end() offset 10m");
        assertThat(s.expr()).isInstanceOf(Call.class);
        assertThat(s.rangeMillis()).isEqualTo(3_600_000);
        assertThat(s.stepMillis()).isEqualTo(300_000);
        assertThat(s.offsetMillis()).isEqualTo(600_000);
        assertThat(s.at()).isEqualTo(AtModifier.END);
        assertThat(s.type()).isEqualTo(ValueType.MATRIX);
        SubqueryExpr d = (SubqueryExpr) parse("foo[1h:]");
        assertThat(d.step()).isNull();
        assertThat(d.stepMillis()).isZero();
        assertThat(d.toString()).isEqualTo("foo[1h:]");
        assertThat(parse("min_over_time(rate(foo[1m])[5m:1m])[10m:]").type()).isEqualTo(ValueType.MATRIX);
    }

    @Test
    void durationExpressions() throws ParseException {
        MatrixSelector m = (MatrixSelector) parse("foo[step() * 2 + 1s]");
        assertThat(m.range().isConstant()).isFalse();
        assertThat(m.range().millis(15_000, 0)).isEqualTo(31_000);
        assertThatThrownBy(m::rangeMillis).isInstanceOf(IllegalStateException.class);
        MatrixSelector c = (MatrixSelector) parse("foo[2m*(10+5)]");
        assertThat(c.range().isConstant()).isTrue();
        assertThat(c.rangeMillis()).isEqualTo(1_800_000);
        assertThat(((MatrixSelector) parse("foo[30m1s-30m1s % 1m]")).rangeMillis()).isEqualTo(1_800_000);
        assertThat(((MatrixSelector) parse("foo[1h30m % 1h]")).rangeMillis()).isEqualTo(1_800_000);
        assertThat(((MatrixSelector) parse("foo[-5m+35m]")).rangeMillis()).isEqualTo(1_800_000);
        DurationExpr r = ((MatrixSelector) parse("foo[max_of(min_of(step()+1,1h),1ms)]")).range();
        assertThat(r.millis(5_000, 0)).isEqualTo(6_000);
        assertThat(r.millis(0, 0)).isEqualTo(1_000);
        assertThat(((VectorSelector) parse("foo offset range()")).offset().millis(1000, 10_000)).isEqualTo(10_000);
        SubqueryExpr s = (SubqueryExpr) parse("foo[29s+1s:((((8 - 2) / 3) * 7s) % 4) + 8000ms] offset -(20*(1s))");
        assertThat(s.rangeMillis()).isEqualTo(30_000);
        assertThat(s.stepMillis()).isEqualTo(10_000);
        assertThat(s.offsetMillis()).isEqualTo(-20_000);
        assertThat(parse("foo[STep()]").toString()).isEqualTo("foo[step()]");
        assertThat(((MatrixSelector) parse("foo[1h/0]")).range().isConstant()).isTrue();
        assertThatThrownBy(() -> ((MatrixSelector) parse("foo[1h/0]")).rangeMillis())
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aggregations() throws ParseException {
        AggregateExpr a = (AggregateExpr) parse("topk(5, foo) without (job, instance)");
        assertThat(a.op()).isEqualTo(AggregationOp.TOPK);
        assertThat(a.param()).isEqualTo(new NumberLiteral(5, new PosRange(5, 6)));
        assertThat(a.grouping()).containsExactly("job", "instance");
        assertThat(a.without()).isTrue();
        assertThat(a.pos()).isEqualTo(new PosRange(0, 36));
        AggregateExpr before = (AggregateExpr) parse("topk without (job, instance) (5, foo)");
        assertThat(Trees.normalize(before)).isEqualTo(Trees.normalize(a));
        AggregateExpr cv = (AggregateExpr) parse("count_values(\"version\", build_info)");
        assertThat(cv.param()).isInstanceOf(StringLiteral.class);
        assertThat(((AggregateExpr) parse("SUM BY (job) (foo)")).op()).isEqualTo(AggregationOp.SUM);
        assertThat(((AggregateExpr) parse("sum by () (foo)")).grouping()).isEmpty();
        assertThat(((AggregateExpr) parse("quantile(0.9, foo)")).op()).isEqualTo(AggregationOp.QUANTILE);
        assertThat(((AggregateExpr) parse("limit_ratio(0.5, foo)")).op()).isEqualTo(AggregationOp.LIMIT_RATIO);
        assertThat(((AggregateExpr) parse("sum by (on, by, offset, bool) (foo)")).grouping())
                .containsExactly("on", "by", "offset", "bool");
        assertThat(((AggregateExpr) parse("sum by (job,) (foo)")).grouping()).containsExactly("job");
    }

    @Test
    void vectorMatching() throws ParseException {
        BinaryExpr b = (BinaryExpr) parse("foo * on(test,blub) group_left(x) bar");
        assertThat(b.matching()).isEqualTo(new VectorMatching(VectorMatching.Cardinality.MANY_TO_ONE,
                List.of("test", "blub"), true, List.of("x"), null, null));
        BinaryExpr r = (BinaryExpr) parse("foo / ignoring(a) group_right bar");
        assertThat(r.matching().cardinality()).isEqualTo(VectorMatching.Cardinality.ONE_TO_MANY);
        assertThat(r.matching().on()).isFalse();
        assertThat(r.matching().include()).isEmpty();
        assertThat(((BinaryExpr) parse("foo and bar")).matching().cardinality())
                .isEqualTo(VectorMatching.Cardinality.MANY_TO_MANY);
        assertThat(((BinaryExpr) parse("foo and on() bar")).matching())
                .isEqualTo(new VectorMatching(VectorMatching.Cardinality.MANY_TO_MANY, List.of(), true, List.of(), null, null));
        // No matching between a vector and a scalar, and the result type follows the operands.
        BinaryExpr s = (BinaryExpr) parse("foo == bool 1");
        assertThat(s.matching()).isNull();
        assertThat(s.returnBool()).isTrue();
        assertThat(s.type()).isEqualTo(ValueType.VECTOR);
        assertThat(parse("1 == bool 2").type()).isEqualTo(ValueType.SCALAR);
        BinaryExpr fill = (BinaryExpr) parse("a + on(job) group_left fill_left(5) fill_right(-Inf) b");
        assertThat(fill.matching().fillLeft()).isEqualTo(5.0);
        assertThat(fill.matching().fillRight()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(((BinaryExpr) parse("other + fill(0) fill")).rhs()).isEqualTo(
                new VectorSelector("fill", List.of(Matcher.equal("__name__", "fill")), new PosRange(16, 20)));
        assertThat(((BinaryExpr) parse("a </ 2")).op()).isEqualTo(BinaryOp.TRIM_UPPER);
        assertThat(((BinaryExpr) parse("a >/ on(x) b")).op()).isEqualTo(BinaryOp.TRIM_LOWER);
    }

    @Test
    void functionCallsAreTyped() throws ParseException {
        Call c = (Call) parse("histogram_quantile(0.9, sum by (le) (rate(foo[5m])))");
        assertThat(c.function()).isSameAs(Functions.get("histogram_quantile"));
        assertThat(c.type()).isEqualTo(ValueType.VECTOR);
        assertThat(parse("scalar(foo)").type()).isEqualTo(ValueType.SCALAR);
        assertThat(parse("time()").type()).isEqualTo(ValueType.SCALAR);
        assertThat(parse("round(foo)").type()).isEqualTo(ValueType.VECTOR);
        assertThat(parse("hour()").type()).isEqualTo(ValueType.VECTOR);
        assertThat(parse("label_join(foo, \"a\", \",\", \"b\", \"c\", \"d\")").type()).isEqualTo(ValueType.VECTOR);
        assertThat(((Call) parse("step()")).function().name()).isEqualTo("step");
        assertThat(((Call) parse("START()")).function().name()).isEqualTo("start");
        assertThat(parse("vector(range())").type()).isEqualTo(ValueType.VECTOR);
        // info()'s selector of info series may match every series; the checker marks it so.
        Call info2 = (Call) parse("info(foo, {k8s_cluster=~\".*\"})");
        assertThat(((VectorSelector) info2.args().get(1)).bypassEmptyMatcherCheck()).isTrue();
    }

    @Test
    void functionTable() {
        assertThat(Functions.get("rate").argTypes()).containsExactly(ValueType.MATRIX);
        assertThat(Functions.get("label_join").maxArgs()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Functions.get("round").minArgs()).isEqualTo(1);
        assertThat(Functions.get("round").maxArgs()).isEqualTo(2);
        assertThat(Functions.get("hour").minArgs()).isZero();
        assertThat(Functions.get("histogram_quantiles").argType(7)).isEqualTo(ValueType.SCALAR);
        assertThat(Functions.get("sort_by_label").experimental()).isTrue();
        assertThat(Functions.get("first_over_time").experimental()).isFalse();
        assertThat(Functions.get("holt_winters")).isNull();
        assertThat(Functions.all()).hasSizeGreaterThan(80);
    }

    @Test
    void positions() throws ParseException {
        BinaryExpr b = (BinaryExpr) parse("  foo + sum(rate(bar[5m]))");
        assertThat(b.pos()).isEqualTo(new PosRange(2, 26));
        AggregateExpr a = (AggregateExpr) b.rhs();
        assertThat(a.pos()).isEqualTo(new PosRange(8, 26));
        Call c = (Call) a.expr();
        assertThat(c.pos()).isEqualTo(new PosRange(12, 25));
        UnaryExpr u = (UnaryExpr) parse(" +some_metric");
        assertThat(u.pos()).isEqualTo(new PosRange(1, 13));
        assertThat(u.expr().pos()).isEqualTo(new PosRange(2, 13));
        BinaryExpr div = (BinaryExpr) ((BinaryExpr) parse("1 + 2/(3*1)")).rhs();
        assertThat(div.rhs().pos()).isEqualTo(new PosRange(6, 11));
        VectorSelector v = (VectorSelector) parse("foo offset 5m");
        assertThat(v.pos()).isEqualTo(new PosRange(0, 13));
    }

    static Stream<Arguments> printed() {
        return Stream.of(
                Arguments.of("sum(foo) by (job)", "sum by (job) (foo)"),
                Arguments.of("sum without() (foo)", "sum without () (foo)"),
                Arguments.of("foo{b=\"1\",a=\"2\"}", "foo{a=\"2\",b=\"1\"}"),
                Arguments.of("foo offset 5m @ 10", "foo @ 10.000 offset 5m"),
                Arguments.of("foo[300]", "foo[5m]"),
                Arguments.of("foo[90s] offset -90m", "foo[1m30s] offset -1h30m"),
                Arguments.of("foo[7d]", "foo[1w]"),
                Arguments.of("a+on(x)group_left(y)b", "a + on (x) group_left (y) b"),
                Arguments.of("a*ignoring(x)group_right b", "a * ignoring (x) group_right () b"),
                Arguments.of("a > bool 1", "a > bool 1"),
                Arguments.of("1000000 + 123456 + 0.0001 + 0.00001 + 1.5e300", "1e+06 + 123456 + 0.0001 + 1e-05 + 1.5e+300"),
                Arguments.of("- foo", "-foo"),
                Arguments.of("\"a\\u00e9\\x01\"", "\"aé\\x01\""),
                Arguments.of("rate(foo[5m]   )", "rate(foo[5m])"),
                Arguments.of("foo[5m:]", "foo[5m:]"),
                Arguments.of("foo[ 5m + step() :1m]", "foo[5m + step():1m]"),
                Arguments.of("foo offset (1m + 30s)", "foo offset (1m + 30s)"),
                Arguments.of("a + fill(0) b", "a + fill(0) b"),
                Arguments.of("a + fill_left(1) fill_right(1) b", "a + fill(1) b"),
                Arguments.of("increase(foo[1m] anchored)", "increase(foo[1m] anchored)"),
                Arguments.of("time() - 5m", "time() - 5m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("printed")
    void printsLikePrometheus(String query, String expected) throws ParseException {
        Expr e = parse(query);
        assertThat(e.toString()).isEqualTo(expected);
        assertThat(Trees.normalize(parse(expected))).isEqualTo(Trees.normalize(e));
    }

    @Test
    void defaultOptionsAreStrict() throws ParseException {
        assertThat(Parser.parse("rate(foo[5m] offset -1m)").type()).isEqualTo(ValueType.VECTOR);
        assertThat(Parser.parse("foo[1800] @ start()").type()).isEqualTo(ValueType.MATRIX);
        assertThat(Parser.parse("first_over_time(foo[1m])").type()).isEqualTo(ValueType.VECTOR);
    }
}
