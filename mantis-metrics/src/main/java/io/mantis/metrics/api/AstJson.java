package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ast.AggregateExpr;
import io.mantis.metrics.promql.ast.AtModifier;
import io.mantis.metrics.promql.ast.BinaryExpr;
import io.mantis.metrics.promql.ast.Call;
import io.mantis.metrics.promql.ast.DurationExpr;
import io.mantis.metrics.promql.ast.Expr;
import io.mantis.metrics.promql.ast.MatrixSelector;
import io.mantis.metrics.promql.ast.NumberLiteral;
import io.mantis.metrics.promql.ast.ParenExpr;
import io.mantis.metrics.promql.ast.StepInvariantExpr;
import io.mantis.metrics.promql.ast.StringLiteral;
import io.mantis.metrics.promql.ast.SubqueryExpr;
import io.mantis.metrics.promql.ast.UnaryExpr;
import io.mantis.metrics.promql.ast.ValueType;
import io.mantis.metrics.promql.ast.VectorMatching;
import io.mantis.metrics.promql.ast.VectorSelector;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * A PromQL syntax tree as the JSON of Prometheus 3's {@code /api/v1/parse_query}, which its UI's
 * tree view reads. Prometheus builds each node as a Go map, so the keys of every object come out
 * sorted (byte order); this writer emits them in that order. Node shapes:
 *
 * <pre>
 * {"expr":..,"grouping":[..],"op":"sum","param":null,"type":"aggregation","without":false}
 * {"bool":false,"lhs":..,"matching":{"card":"one-to-one","fillValues":{"lhs":null,"rhs":null},
 *      "include":[],"labels":[],"on":false},"op":"+","rhs":..,"type":"binaryExpr"}
 * {"args":[..],"func":{"argTypes":["matrix"],"name":"rate","returnType":"vector","variadic":0},"type":"call"}
 * {"anchored":false,"matchers":[{"name":"job","type":"=","value":"api"},{"name":"__name__","type":"=","value":"up"}],
 *      "name":"up","offset":0,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"vectorSelector"}
 * </pre>
 *
 * <p>A matrix selector is a vector selector with {@code "range"} and {@code "type":"matrixSelector"};
 * a subquery has {@code alignEvalTime}, {@code expr}, {@code offset}, {@code range},
 * {@code startOrEnd}, {@code step} (0: the default), {@code timestamp}. Durations are whole
 * milliseconds, {@code timestamp} the {@code @} time in milliseconds, {@code startOrEnd}
 * {@code "start"}/{@code "end"} for {@code @ start()}/{@code @ end()}. {@code matching} is null
 * unless both operands are instant vectors. The metric name written before the braces is the
 * last matcher, as Prometheus' parser appends it. Number values are plain decimals
 * ({@code "1e+21"} is {@code "1000000000000000000000"}).
 */
public final class AstJson {

    private AstJson() {
    }

    public static void write(JsonGenerator g, Expr e) throws IOException {
        if (e == null) {
            g.writeNull();
            return;
        }
        switch (e) {
            case AggregateExpr a -> {
                g.writeStartObject();
                g.writeFieldName("expr");
                write(g, a.expr());
                strings(g, "grouping", a.grouping());
                g.writeStringField("op", a.op().keyword());
                g.writeFieldName("param");
                write(g, a.param());
                g.writeStringField("type", "aggregation");
                g.writeBooleanField("without", a.without());
                g.writeEndObject();
            }
            case BinaryExpr b -> {
                g.writeStartObject();
                g.writeBooleanField("bool", b.returnBool());
                g.writeFieldName("lhs");
                write(g, b.lhs());
                g.writeFieldName("matching");
                matching(g, b.matching());
                g.writeStringField("op", b.op().symbol());
                g.writeFieldName("rhs");
                write(g, b.rhs());
                g.writeStringField("type", "binaryExpr");
                g.writeEndObject();
            }
            case Call c -> {
                g.writeStartObject();
                g.writeArrayFieldStart("args");
                for (Expr arg : c.args()) {
                    write(g, arg);
                }
                g.writeEndArray();
                g.writeObjectFieldStart("func");
                g.writeArrayFieldStart("argTypes");
                for (ValueType t : c.function().argTypes()) {
                    g.writeString(typeName(t));
                }
                g.writeEndArray();
                g.writeStringField("name", c.function().name());
                g.writeStringField("returnType", typeName(c.function().returnType()));
                g.writeNumberField("variadic", c.function().variadic());
                g.writeEndObject();
                g.writeStringField("type", "call");
                g.writeEndObject();
            }
            case MatrixSelector m -> selector(g, m.selector(), m.range());
            case VectorSelector v -> selector(g, v, null);
            case SubqueryExpr s -> {
                g.writeStartObject();
                g.writeBooleanField("alignEvalTime", false);
                g.writeFieldName("expr");
                write(g, s.expr());
                g.writeNumberField("offset", millis(s.offset()));
                g.writeNumberField("range", millis(s.range()));
                startOrEnd(g, s.at());
                g.writeNumberField("step", millis(s.step()));
                timestamp(g, s.at());
                g.writeStringField("type", "subquery");
                g.writeEndObject();
            }
            case NumberLiteral n -> {
                g.writeStartObject();
                g.writeStringField("type", "numberLiteral");
                g.writeStringField("val", plainNumber(n.value()));
                g.writeEndObject();
            }
            case StringLiteral s -> {
                g.writeStartObject();
                g.writeStringField("type", "stringLiteral");
                g.writeStringField("val", s.value());
                g.writeEndObject();
            }
            case ParenExpr p -> {
                g.writeStartObject();
                g.writeFieldName("expr");
                write(g, p.expr());
                g.writeStringField("type", "parenExpr");
                g.writeEndObject();
            }
            case UnaryExpr u -> {
                g.writeStartObject();
                g.writeFieldName("expr");
                write(g, u.expr());
                g.writeStringField("op", u.negate() ? "-" : "+");
                g.writeStringField("type", "unaryExpr");
                g.writeEndObject();
            }
            // The parser never produces it; the tree of what it wraps is the same.
            case StepInvariantExpr s -> write(g, s.expr());
        }
    }

    private static void selector(JsonGenerator g, VectorSelector v, DurationExpr range) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("anchored", v.anchored());
        g.writeArrayFieldStart("matchers");
        List<Matcher> ms = v.matchers();
        // Mantis keeps the name's matcher first, Prometheus' parser appends it after the braces' matchers.
        int from = v.name() != null && !ms.isEmpty() ? 1 : 0;
        for (int i = from; i < ms.size(); i++) {
            matcher(g, ms.get(i));
        }
        if (from == 1) {
            matcher(g, ms.get(0));
        }
        g.writeEndArray();
        g.writeStringField("name", v.name() == null ? "" : v.name());
        g.writeNumberField("offset", millis(v.offset()));
        if (range != null) {
            g.writeNumberField("range", millis(range));
        }
        g.writeBooleanField("smoothed", v.smoothed());
        startOrEnd(g, v.at());
        timestamp(g, v.at());
        g.writeStringField("type", range != null ? "matrixSelector" : "vectorSelector");
        g.writeEndObject();
    }

    private static void matcher(JsonGenerator g, Matcher m) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", m.name());
        g.writeStringField("type", m.type().operator());
        g.writeStringField("value", m.value());
        g.writeEndObject();
    }

    private static void matching(JsonGenerator g, VectorMatching m) throws IOException {
        if (m == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("card", switch (m.cardinality()) {
            case ONE_TO_ONE -> "one-to-one";
            case MANY_TO_ONE -> "many-to-one";
            case ONE_TO_MANY -> "one-to-many";
            case MANY_TO_MANY -> "many-to-many";
        });
        g.writeObjectFieldStart("fillValues");
        fill(g, "lhs", m.fillLeft());
        fill(g, "rhs", m.fillRight());
        g.writeEndObject();
        strings(g, "include", m.include());
        strings(g, "labels", m.matchingLabels());
        g.writeBooleanField("on", m.on());
        g.writeEndObject();
    }

    private static void fill(JsonGenerator g, String field, Double v) throws IOException {
        g.writeFieldName(field);
        if (v == null || !Double.isFinite(v)) {
            // Go's encoder cannot write NaN or infinities at all; null keeps the document valid.
            g.writeNull();
        } else {
            g.writeNumber(QueryStatsJson.goFloat(v));
        }
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void startOrEnd(JsonGenerator g, AtModifier at) throws IOException {
        g.writeFieldName("startOrEnd");
        if (at == null || at.kind() == AtModifier.Kind.TIMESTAMP) {
            g.writeNull();
        } else {
            g.writeString(at.kind() == AtModifier.Kind.START ? "start" : "end");
        }
    }

    private static void timestamp(JsonGenerator g, AtModifier at) throws IOException {
        g.writeFieldName("timestamp");
        if (at == null || at.kind() != AtModifier.Kind.TIMESTAMP) {
            g.writeNull();
        } else {
            g.writeNumber(at.timestampMillis());
        }
    }

    /** A constant duration in milliseconds; 0 for none and for one that depends on the query's step or range. */
    private static long millis(DurationExpr d) {
        return d == null || !d.isConstant() ? 0 : d.constantMillis();
    }

    /** The value types as Prometheus' Go constants spell them. */
    private static String typeName(ValueType t) {
        return switch (t) {
            case NONE -> "none";
            case SCALAR -> "scalar";
            case STRING -> "string";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
        };
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, never an exponent. */
    static String plainNumber(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v) < 0 ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
