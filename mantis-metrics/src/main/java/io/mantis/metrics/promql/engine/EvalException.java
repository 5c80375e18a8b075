package io.mantis.metrics.promql.engine;

import io.mantis.metrics.promql.value.ErrorType;

/** Ends an evaluation with a query error; unchecked so that deep recursion need not declare it. */
final class EvalException extends RuntimeException {

    private final ErrorType type;

    EvalException(ErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    static EvalException execution(String message) {
        return new EvalException(ErrorType.EXECUTION, message);
    }

    ErrorType type() {
        return type;
    }
}
