package io.mantis.metrics.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * A binary operation.
 *
 * @param returnBool whether {@code bool} was given (comparisons return 0/1 instead of filtering)
 * @param matching how series pair up; non-null exactly when both sides are instant vectors
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching, PosRange pos)
        implements Expr {

    public BinaryExpr {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(lhs, "lhs");
        Objects.requireNonNull(rhs, "rhs");
    }

    /** Scalar when both sides are scalars, else an instant vector. */
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
        return List.of(lhs, rhs);
    }

    @Override
    public String toString() {
        return Printer.format(this);
    }
}
