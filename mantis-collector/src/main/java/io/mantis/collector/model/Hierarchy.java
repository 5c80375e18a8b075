package io.mantis.collector.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource → scope → item shape that spans and log records share, so one splitter serves
 * both. (Metrics have one more level, metric → data point, and split on their own.)
 */
interface Hierarchy<R, S, I> {
    List<S> scopes(R resource);

    List<I> items(S scope);

    S scopeWith(S scope, List<I> items);

    R resourceWith(R resource, S scope);

    default int count(R resource) {
        int n = 0;
        for (S s : scopes(resource)) {
            n += items(s).size();
        }
        return n;
    }

    /**
     * Cuts the resources into parts of at most {@code max} items, in order; resources and scopes
     * that fit are reused untouched, the others are rebuilt around the slice of items they keep.
     */
    default List<List<R>> split(List<R> resources, int max) {
        List<List<R>> out = new ArrayList<>();
        List<R> current = new ArrayList<>();
        int room = max;
        for (R r : resources) {
            int n = count(r);
            if (n <= room) {
                current.add(r);
                room -= n;
            } else {
                for (S s : scopes(r)) {
                    List<I> items = items(s);
                    int from = 0;
                    while (from < items.size()) {
                        int take = Math.min(room, items.size() - from);
                        current.add(resourceWith(r, scopeWith(s, items.subList(from, from + take))));
                        from += take;
                        room -= take;
                        if (room == 0) {
                            out.add(current);
                            current = new ArrayList<>();
                            room = max;
                        }
                    }
                }
            }
            if (room == 0) {
                out.add(current);
                current = new ArrayList<>();
                room = max;
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
