package io.mantis.metrics.promql.engine;

import io.mantis.otlp.prometheus.Labels;
import java.util.IdentityHashMap;
import java.util.function.UnaryOperator;

/**
 * Remembers a label-set transformation per input label set for one query. Series keep their
 * label-set objects from step to step (selectors load them once; transformations through a memo
 * return the same object again), so a range query derives each output label set once per series
 * instead of once per series per step. Keyed by identity: equal sets built afresh each step miss,
 * which costs a lookup, never a wrong answer; past a bound the memo starts over.
 */
final class LabelMemo {

    private static final int MAX_ENTRIES = 1 << 16;

    private final UnaryOperator<Labels> transform;
    private final IdentityHashMap<Labels, Labels> memo = new IdentityHashMap<>(128);

    LabelMemo(UnaryOperator<Labels> transform) {
        this.transform = transform;
    }

    Labels apply(Labels in) {
        Labels out = memo.get(in);
        if (out == null) {
            if (memo.size() >= MAX_ENTRIES) {
                memo.clear();
            }
            out = transform.apply(in);
            memo.put(in, out);
        }
        return out;
    }
}
