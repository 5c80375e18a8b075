package io.mantis.metrics.promql.ast;

import java.util.List;

/**
 * A node of a parsed PromQL expression. Every node is immutable, knows the type of the value it
 * evaluates to and the part of the query it was parsed from. {@link Object#toString()} prints
 * the node as Prometheus does ({@link Printer#format}).
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr,
        Call, AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr, StepInvariantExpr {

    ValueType type();

    PosRange pos();

    /** The direct sub-expressions, in the order they appear in the text. */
    List<Expr> children();
}
