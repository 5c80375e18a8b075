package io.mantis.metrics.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.Matcher;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class PostingsForMatchersTest {

    @TempDir
    Path dir;

    private static final String[] VALUE_CANDIDATES = {
        "", "job-0", "job-1", "idle", "user", "host-1:9100", "metric_1", "v1", "\u00E9", "\uD83D\uDE00", "nope",
    };
    private static final String[] REGEX_CANDIDATES = {
        ".*", ".+", "", "job-0|job-1", "host-1.*", "host-1.+", ".*:9100", ".*-1.*", "(?i)IDLE|user", "v[0-3]",
        "x|", "idle|", "\\d+", "[^a-z].*", "(?i)host-.*", "metric_.", "a\nb", ".*\u00E9.*", "(?-s).*", "ZZ|A|a\\.b",
    };

    /** Brute force: which positions of {@code series} satisfy all matchers. */
    private static List<Integer> expected(List<Labels> series, List<Matcher> matchers) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            if (Matchers.matches(series.get(i), matchers)) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Matcher> randomSelector(Random rnd) {
        List<Matcher> ms = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = rnd.nextInt(10) == 0 ? "missing" : RandomSeries.NAMES[rnd.nextInt(RandomSeries.NAMES.length)];
            Matcher.Type type = Matcher.Type.values()[rnd.nextInt(4)];
            String value = type == Matcher.Type.EQUAL || type == Matcher.Type.NOT_EQUAL
                    ? (rnd.nextBoolean() ? VALUE_CANDIDATES[rnd.nextInt(VALUE_CANDIDATES.length)]
                            : RandomSeries.value(rnd, 1 + rnd.nextInt(RandomSeries.NAMES.length - 1)))
                    : REGEX_CANDIDATES[rnd.nextInt(REGEX_CANDIDATES.length)];
            ms.add(Matcher.of(type, name, value));
        }
        return ms;
    }

    @Test
    void selectionEqualsBruteForceOnHeadAndBlock() throws IOException {
        Random rnd = new Random(7);
        List<Labels> series = RandomSeries.generate(rnd, 3000);
        // Head ids: sparse and not in label order, as a head assigns them by arrival.
        int[] headIds = new int[series.size()];
        Map<Integer, Labels> byId = new HashMap<>();
        MemPostings mem = new MemPostings();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, rnd);
        int nextId = 5;
        for (int i : order) {
            headIds[i] = nextId;
            byId.put(nextId, mem.add(nextId, series.get(i)));
            nextId += 1 + rnd.nextInt(3);
        }
        IndexReader head = new MemPostingsIndexReader(mem, byId::get);

        Path file = dir.resolve("index");
        TreeSet<String> symbols = new TreeSet<>(CodePointOrder.INSTANCE);
        series.forEach(l -> {
            for (int i = 0; i < l.size(); i++) {
                symbols.add(l.name(i));
                symbols.add(l.value(i));
            }
        });
        try (IndexWriter w = IndexWriter.create(file)) {
            w.addSymbols(symbols);
            for (Labels l : series) {
                w.addSeries(l, null);
            }
            w.finish();
        }
        int partial = 0;
        try (BlockIndexReader block = BlockIndexReader.open(file)) {
            for (int round = 0; round < 1000; round++) {
                List<Matcher> ms = randomSelector(rnd);
                List<Integer> want = expected(series, ms);
                if (!want.isEmpty() && want.size() < series.size()) {
                    partial++;
                }
                RoaringBitmap wantBlock = new RoaringBitmap();
                RoaringBitmap wantHead = new RoaringBitmap();
                for (int i : want) {
                    wantBlock.add(i);
                    wantHead.add(headIds[i]);
                }
                assertThat(PostingsForMatchers.select(block, ms)).as("block %s", ms).isEqualTo(wantBlock);
                assertThat(PostingsForMatchers.select(head, ms)).as("head %s", ms).isEqualTo(wantHead);
                // The same without testing matchers on the labels of narrowed-down candidates.
                assertThat(PostingsForMatchers.select(block, ms, false)).as("block %s", ms).isEqualTo(wantBlock);
                assertThat(PostingsForMatchers.select(head, ms, false)).as("head %s", ms).isEqualTo(wantHead);

                // Label values and names restricted to the selection.
                String name = RandomSeries.NAMES[rnd.nextInt(RandomSeries.NAMES.length)];
                TreeSet<String> values = new TreeSet<>(CodePointOrder.INSTANCE);
                TreeSet<String> names = new TreeSet<>(CodePointOrder.INSTANCE);
                for (int i : want) {
                    String v = series.get(i).get(name);
                    if (v != null) {
                        values.add(v);
                    }
                    for (int k = 0; k < series.get(i).size(); k++) {
                        names.add(series.get(i).name(k));
                    }
                }
                assertThat(block.labelValues(name, wantBlock)).as("values %s %s", name, ms).containsExactlyElementsOf(values);
                assertThat(head.labelValues(name, wantHead)).as("values %s %s", name, ms).containsExactlyElementsOf(values);
                assertThat(block.labelNames(wantBlock)).containsExactlyElementsOf(names);
                assertThat(head.labelNames(wantHead)).containsExactlyElementsOf(names);
            }
            // The random selectors must exercise real selections, not mostly none or all.
            assertThat(partial).isGreaterThan(250);
            assertThat(block.labelNames()).isEqualTo(head.labelNames());
            for (String name : RandomSeries.NAMES) {
                assertThat(block.labelValues(name)).isEqualTo(head.labelValues(name)).isSortedAccordingTo(CodePointOrder.INSTANCE);
            }
        }
    }

    @Test
    void prometheusEmptyLabelSemantics() {
        MemPostings mem = new MemPostings();
        List<Labels> series = List.of(
                Labels.of("n", "1"),
                Labels.of("n", "1", "i", "a"),
                Labels.of("n", "1", "i", "b"),
                Labels.of("n", "2"),
                Labels.of("n", "2", "i", "a"));
        for (int i = 0; i < series.size(); i++) {
            mem.add(i, series.get(i));
        }
        IndexReader ix = new MemPostingsIndexReader(mem, series::get);
        Object[][] cases = {
            {List.of(Matcher.equal("n", "1")), List.of(0, 1, 2)},
            {List.of(Matcher.equal("n", "1"), Matcher.equal("i", "a")), List.of(1)},
            {List.of(Matcher.equal("n", "1"), Matcher.equal("i", "")), List.of(0)},
            {List.of(Matcher.equal("n", "1"), Matcher.notEqual("i", "")), List.of(1, 2)},
            {List.of(Matcher.equal("n", "1"), Matcher.notEqual("i", "a")), List.of(0, 2)},
            {List.of(Matcher.equal("n", "1"), Matcher.regex("i", ".*")), List.of(0, 1, 2)},
            {List.of(Matcher.equal("n", "1"), Matcher.regex("i", ".+")), List.of(1, 2)},
            {List.of(Matcher.equal("n", "1"), Matcher.notRegex("i", ".+")), List.of(0)},
            {List.of(Matcher.equal("n", "1"), Matcher.notRegex("i", ".*")), List.of()},
            {List.of(Matcher.equal("n", "1"), Matcher.regex("i", "a|")), List.of(0, 1)},
            {List.of(Matcher.equal("n", "1"), Matcher.notRegex("i", "a|")), List.of(2)},
            {List.of(Matcher.equal("n", "1"), Matcher.notRegex("i", "a")), List.of(0, 2)},
            {List.of(Matcher.regex("n", "1|2"), Matcher.regex("i", "a")), List.of(1, 4)},
            {List.of(Matcher.notEqual("i", "")), List.of(1, 2, 4)},
            {List.of(Matcher.notEqual("n", "1")), List.of(3, 4)},
            {List.of(Matcher.equal("missing", "")), List.of(0, 1, 2, 3, 4)},
            {List.of(Matcher.regex("n", "1"), Matcher.equal("missing", "x")), List.of()},
            {List.of(Matcher.equal("i", "a"), Matcher.equal("i", "b")), List.of()},
            {List.of(Matcher.regex("i", "(?i)A")), List.of(1, 4)},
            {List.of(), List.of(0, 1, 2, 3, 4)},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<Matcher> ms = (List<Matcher>) c[0];
            @SuppressWarnings("unchecked")
            List<Integer> want = (List<Integer>) c[1];
            RoaringBitmap got = PostingsForMatchers.select(ix, ms);
            assertThat(got.toArray()).as(ms.toString()).containsExactly(want.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void regexesAfterASelectiveMatcherAreTestedOnTheCandidatesLabels() {
        MemPostings mem = new MemPostings();
        List<Labels> series = new ArrayList<>();
        // 2000 series over 400 instances; "up" has 40 of them.
        for (int i = 0; i < 2000; i++) {
            series.add(Labels.of("__name__", i % 50 == 0 ? "up" : "other", "instance", "10.0." + (i % 400),
                    "device", i % 3 == 0 ? "eth0" : "lo"));
            mem.add(i, series.get(i));
        }
        int[] labelReads = new int[1];
        IndexReader ix = new MemPostingsIndexReader(mem, id -> {
            labelReads[0]++;
            return series.get(id);
        });
        List<Matcher> ms = List.of(Matcher.equal("__name__", "up"), Matcher.regex("instance", "10\\.0\\.1.*"),
                Matcher.notRegex("device", "l."), Matcher.notEqual("missing", "x"));
        RoaringBitmap got = PostingsForMatchers.select(ix, ms);
        assertThat(labelReads[0]).as("one label read per candidate").isEqualTo(40);
        assertThat(got.toArray()).containsExactly(expected(series, ms).stream().mapToInt(Integer::intValue).toArray());
        assertThat(got.getCardinality()).isPositive();

        // Many candidates: the regex goes through the postings, no labels are read.
        labelReads[0] = 0;
        List<Matcher> wide = List.of(Matcher.equal("__name__", "other"), Matcher.regex("instance", "10\\.0\\.1.*"));
        RoaringBitmap all = PostingsForMatchers.select(ix, wide);
        assertThat(labelReads[0]).isZero();
        assertThat(all.toArray()).containsExactly(expected(series, wide).stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void selectorsMustHaveANonEmptyMatcher() {
        assertThat(Matchers.hasNonEmptyMatcher(List.of(Matcher.equal("a", "")))).isFalse();
        assertThat(Matchers.hasNonEmptyMatcher(List.of(Matcher.regex("a", ".*"), Matcher.notEqual("b", "x")))).isFalse();
        assertThat(Matchers.hasNonEmptyMatcher(List.of(Matcher.regex("a", ".*"), Matcher.regex("b", ".+")))).isTrue();
        assertThatThrownBy(() -> Matchers.requiresNonEmpty(Matcher.notRegex("a", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vector selector must contain at least one non-empty matcher");
        Matchers.requiresNonEmpty(Matcher.equal("__name__", "up"));
    }
}
