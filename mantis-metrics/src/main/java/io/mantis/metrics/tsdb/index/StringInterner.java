package io.mantis.metrics.tsdb.index;

import io.mantis.otlp.prometheus.Labels;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A concurrent table of canonical strings, so that equal label names and values held by many
 * objects are one String. The head needs none of this for its series ({@link MemPostings#add}
 * already hands back canonical label sets); it is for other holders of many label sets, such as
 * a series cache filled from block indexes or a WAL replay.
 *
 * <p>Lookups of strings already present are a lock-free read. Entries live until
 * {@link #retainIf} drops them; interning is an optimisation, so a string that is interned while
 * its old canonical copy is being dropped merely stays a duplicate.
 */
public final class StringInterner {

    private final ConcurrentHashMap<String, String> table = new ConcurrentHashMap<>();

    /** The canonical instance equal to {@code s}, which becomes canonical if none is. */
    public String intern(String s) {
        String c = table.get(s);
        if (c != null) {
            return c;
        }
        c = table.putIfAbsent(s, s);
        return c == null ? s : c;
    }

    /** {@code labels} with canonical strings; the same object if it already has them. */
    public Labels intern(Labels labels) {
        int n = labels.size();
        String[] pairs = null;
        for (int i = 0; i < n; i++) {
            String name = intern(labels.name(i));
            String value = intern(labels.value(i));
            if (pairs == null && (name != labels.name(i) || value != labels.value(i))) {
                pairs = new String[2 * n];
                for (int k = 0; k < i; k++) {
                    pairs[2 * k] = labels.name(k);
                    pairs[2 * k + 1] = labels.value(k);
                }
            }
            if (pairs != null) {
                pairs[2 * i] = name;
                pairs[2 * i + 1] = value;
            }
        }
        return pairs == null ? labels : Labels.of(pairs);
    }

    /** Drops the strings {@code inUse} rejects (e.g. after the series using them are gone). */
    public void retainIf(Predicate<String> inUse) {
        table.keySet().removeIf(inUse.negate());
    }

    public int size() {
        return table.size();
    }
}
