package io.mantis.metrics.tsdb.index;

import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Seeded random label sets for property tests: few names, skewed values, some non-ASCII. */
final class RandomSeries {

    static final String[] NAMES = {"__name__", "job", "instance", "mode", "cpu", "le", "path", "zone", "\u00E9t\u00E9"};
    static final String[] ODD_VALUES = {"\uE000x", "\uD83D\uDE00", "a\nb", "\u00E9", "ZZ", "a.b", "A"};

    private RandomSeries() {}

    /** {@code count} distinct label sets, sorted by {@link Labels#compareTo}. */
    static List<Labels> generate(Random rnd, int count) {
        TreeSet<Labels> set = new TreeSet<>();
        while (set.size() < count) {
            set.add(one(rnd));
        }
        return new ArrayList<>(set);
    }

    static Labels one(Random rnd) {
        List<String> pairs = new ArrayList<>();
        pairs.add("__name__");
        pairs.add("metric_" + rnd.nextInt(6));
        for (int i = 1; i < NAMES.length; i++) {
            if (rnd.nextInt(3) != 0) {
                pairs.add(NAMES[i]);
                pairs.add(value(rnd, i));
            }
        }
        return Labels.of(pairs.toArray(new String[0]));
    }

    static String value(Random rnd, int nameIndex) {
        int r = rnd.nextInt(20);
        if (r == 0) {
            return ODD_VALUES[rnd.nextInt(ODD_VALUES.length)];
        }
        return switch (nameIndex) {
            case 1 -> "job-" + rnd.nextInt(3);
            case 2 -> "host-" + rnd.nextInt(40) + ":9100";
            case 3 -> new String[] {"idle", "user", "system", "iowait"}[rnd.nextInt(4)];
            case 4 -> Integer.toString(rnd.nextInt(8));
            default -> "v" + rnd.nextInt(1 + nameIndex * 3);
        };
    }
}
