package io.mantis.metrics.promql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.parser.Parser;
import io.mantis.metrics.promql.parser.ParserOptions;
import org.junit.jupiter.api.Test;

class StepInvarianceTest {

    private static Expr wrap(String q) throws ParseException {
        return StepInvariance.wrap(Parser.parse(q, ParserOptions.ALL));
    }

    @Test
    void wrapsTheLargestPinnedParts() throws ParseException {
        assertThat(wrap("foo @ 100")).isInstanceOf(StepInvariantExpr.class);
        assertThat(wrap("rate(foo[5m] @ 100)")).isInstanceOf(StepInvariantExpr.class);
        assertThat(wrap("sum(foo @ 100) + 1")).isInstanceOf(StepInvariantExpr.class);
        BinaryExpr b = (BinaryExpr) wrap("sum(foo @ 100) + bar");
        assertThat(b.lhs()).isInstanceOf(StepInvariantExpr.class);
        assertThat(b.rhs()).isInstanceOf(VectorSelector.class);
        // Literals alone are cheap and stay as they are; time() reads the evaluation time.
        assertThat(wrap("1 + 2")).isInstanceOf(StepInvariantExpr.class);
        assertThat(wrap("1")).isInstanceOf(NumberLiteral.class);
        assertThat(wrap("(3)")).isInstanceOf(ParenExpr.class);
        assertThat(wrap("time() + foo @ 1")).isInstanceOf(BinaryExpr.class);
        assertThat(wrap("hour(foo @ 1)")).isInstanceOf(StepInvariantExpr.class);
        assertThat(wrap("hour()")).isInstanceOf(Call.class);
        // A range argument stays a selector for the function to read.
        Call c = (Call) wrap("rate(foo[5m])");
        assertThat(c.args().get(0)).isInstanceOf(MatrixSelector.class);
        SubqueryExpr s = (SubqueryExpr) wrap("abs(foo @ 1)[5m:1m]");
        assertThat(s.expr()).isInstanceOf(StepInvariantExpr.class);
        assertThat(wrap("foo @ 1").toString()).isEqualTo("foo @ 1.000");
    }

    @Test
    void durationsAreEvaluatedPerQuery() throws ParseException {
        MatrixSelector m = (MatrixSelector) Parser.parse("foo[min_of(range(), 1h) + step() / 2]", ParserOptions.ALL);
        assertThat(m.range().millis(60_000, 600_000)).isEqualTo(630_000);
        assertThat(m.range().millis(60_000, 7_200_000)).isEqualTo(3_630_000);
        assertThat(DurationExpr.ofMillis(90_000, PosRange.NONE).constantMillis()).isEqualTo(90_000);
        assertThat(Printer.format(DurationExpr.ofMillis(90_000, PosRange.NONE))).isEqualTo("1m30s");
        assertThat(Printer.formatDuration(0)).isEqualTo("0s");
        assertThat(Printer.formatDuration(-1)).isEqualTo("-1ms");
        assertThat(Printer.formatNumber(-0.0)).isEqualTo("-0");
        assertThat(Printer.formatNumber(123456789)).isEqualTo("1.23456789e+08");
        assertThat(Printer.formatNumber(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    }
}
