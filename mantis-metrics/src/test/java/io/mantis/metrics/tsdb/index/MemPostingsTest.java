package io.mantis.metrics.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.model.Matcher;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

class MemPostingsTest {

    @Test
    void indexesAndListsSortedByCodePoint() {
        MemPostings p = new MemPostings();
        p.add(3, Labels.of("__name__", "up", "job", "b"));
        p.add(1, Labels.of("__name__", "up", "job", "\uD83D\uDE00"));
        p.add(2, Labels.of("__name__", "up", "job", "\uE000"));
        p.add(7, Labels.of("__name__", "down", "zone", "a"));
        assertThat(p.get("__name__", "up").toArray()).containsExactly(1, 2, 3);
        assertThat(p.get("job", "nope")).isEmpty();
        assertThat(p.get("nope", "x")).isEmpty();
        assertThat(p.all().toArray()).containsExactly(1, 2, 3, 7);
        assertThat(p.seriesCount()).isEqualTo(4);
        assertThat(p.labelNames()).containsExactly("__name__", "job", "zone");
        // U+E000 before U+1F600, although String.compareTo says otherwise.
        assertThat(p.labelValues("job")).containsExactly("b", "\uE000", "\uD83D\uDE00");
        assertThat(p.labelValues("nope")).isEmpty();
        assertThat(p.labelValues("job", RoaringBitmap.bitmapOf(2, 7))).containsExactly("\uE000");
        assertThat(p.labelNames(RoaringBitmap.bitmapOf(7))).containsExactly("__name__", "zone");
        assertThat(p.symbols()).containsExactly("__name__", "a", "b", "down", "job", "up", "zone", "\uE000", "\uD83D\uDE00");
    }

    @Test
    void addReturnsCanonicalLabelSets() {
        MemPostings p = new MemPostings();
        Labels first = Labels.of(new String("job"), new String("api"), new String("instance"), new String("h1"));
        assertThat(p.add(1, first)).isSameAs(first);
        Labels second = Labels.of(new String("job"), new String("api"), new String("instance"), new String("h2"));
        Labels canonical = p.add(2, second);
        assertThat(canonical).isEqualTo(second).isNotSameAs(second);
        assertThat(canonical.name(0)).isSameAs(first.name(0));
        assertThat(canonical.name(1)).isSameAs(first.name(1));
        assertThat(canonical.value(1)).isSameAs(first.value(1));
        assertThat(canonical.value(0)).isSameAs(second.value(0)); // h2 is new: its own string is canonical
        Labels again = Labels.of("job", "api", "instance", "h2");
        assertThat(p.add(3, again)).isEqualTo(again);
        assertThat(p.add(3, again).value(0)).isSameAs(second.value(0));
    }

    @Test
    void smallListsGrowIntoBitmapsWithAnyInsertionOrder() {
        MemPostings p = new MemPostings();
        Random rnd = new Random(1);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(i * 3);
        }
        Collections.shuffle(ids, rnd);
        RoaringBitmap want = new RoaringBitmap();
        for (int k = 0; k < ids.size(); k++) {
            int id = ids.get(k);
            p.add(id, Labels.of("a", "x", "b", "y" + (id % 2)));
            want.add(id);
            if (k == MemPostings.SMALL_MAX - 1 || k == MemPostings.SMALL_MAX || k == 10) {
                assertThat(p.get("a", "x")).isEqualTo(want);
            }
        }
        assertThat(p.get("a", "x")).isEqualTo(want);
        RoaringBitmap acc = new RoaringBitmap();
        p.unionInto("b", List.of("y0", "y1", "y2"), acc);
        assertThat(acc).isEqualTo(want);
        // Snapshots are copies: changing one changes nothing inside.
        p.get("a", "x").clear();
        assertThat(p.get("a", "x")).isEqualTo(want);
    }

    @Test
    void deleteDropsEmptiedValuesAndNames() {
        MemPostings p = new MemPostings();
        List<Labels> series = List.of(
                Labels.of("job", "a", "tmp", "1"),
                Labels.of("job", "a", "tmp", "2"),
                Labels.of("job", "b"));
        for (int i = 0; i < series.size(); i++) {
            p.add(i, series.get(i));
        }
        p.delete(RoaringBitmap.bitmapOf(0, 1), series.subList(0, 2));
        assertThat(p.all().toArray()).containsExactly(2);
        assertThat(p.labelNames()).containsExactly("job");
        assertThat(p.labelValues("job")).containsExactly("b");
        assertThat(p.labelValues("tmp")).isEmpty();
        assertThat(p.get("job", "a")).isEmpty();
        assertThat(p.symbols()).containsExactly("b", "job");
        // A deleted value comes back with a new series.
        p.add(5, Labels.of("tmp", "1"));
        assertThat(p.get("tmp", "1").toArray()).containsExactly(5);
        assertThat(p.labelNames()).containsExactly("job", "tmp");

        p.delete(RoaringBitmap.bitmapOf(2, 5));
        assertThat(p.labelNames()).isEmpty();
        assertThat(p.all()).isEmpty();
        assertThat(p.seriesCount()).isZero();
        p.add(6, Labels.of("job", "b"));
        assertThat(p.all().toArray()).containsExactly(6);
    }

    @Test
    void emptyValuesAreNotIndexed() {
        MemPostings p = new MemPostings();
        p.add(1, Labels.of("a", "x"));
        assertThat(p.get("a", "")).isEmpty();
        assertThat(p.labelValues("a")).containsExactly("x");
    }

    private static Labels labelsFor(int id) {
        return Labels.of(
                "__name__", "node_cpu_seconds_total",
                "job", "job-" + (id % 3),
                "instance", "host-" + (id % 97),
                "mode", new String[] {"idle", "user", "system"}[id % 3 == 0 ? (id / 3) % 3 : id % 3],
                "id", Integer.toString(id));
    }

    /**
     * Writers add series and a deleter removes old ones while readers select: every id a
     * selection returns must satisfy the selector (labels are a function of the id, so this is
     * checkable even for ids deleted meanwhile), including subtraction selectors that a
     * half-added series could slip through.
     */
    @Test
    void concurrentAddDeleteAndSelect() throws Exception {
        MemPostings p = new MemPostings();
        IndexReader reader = new MemPostingsIndexReader(p, MemPostingsTest::labelsFor);
        int total = 60_000;
        AtomicInteger nextId = new AtomicInteger();
        AtomicInteger added = new AtomicInteger();
        AtomicBoolean writersDone = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<List<Matcher>> selectors = List.of(
                List.of(Matcher.equal("job", "job-1"), Matcher.notEqual("mode", "idle")),
                List.of(Matcher.notEqual("job", "job-0")),
                List.of(Matcher.regex("instance", "host-1.*"), Matcher.notRegex("mode", "user|system")),
                List.of(Matcher.equal("__name__", "node_cpu_seconds_total"), Matcher.equal("mode", "")),
                List.of(Matcher.regex("job", "job-[12]"), Matcher.regex("mode", "(?i)USER")));
        CountDownLatch writers = new CountDownLatch(2);
        List<Thread> threads = new ArrayList<>();
        // The id each writer is adding (MAX_VALUE when between ids or done): every id below the
        // smallest of these and below nextId is completely added. The head only ever deletes such
        // series, so the deleter must too.
        java.util.concurrent.atomic.AtomicIntegerArray inFlight = new java.util.concurrent.atomic.AtomicIntegerArray(
                new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE});
        for (int w = 0; w < 2; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                try {
                    while (true) {
                        inFlight.set(writer, nextId.get());
                        int id = nextId.getAndIncrement();
                        if (id >= total) {
                            break;
                        }
                        inFlight.set(writer, id);
                        p.add(id, labelsFor(id));
                        inFlight.set(writer, Integer.MAX_VALUE);
                        added.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    inFlight.set(writer, Integer.MAX_VALUE);
                    writers.countDown();
                }
            }));
        }
        threads.add(new Thread(() -> {
            try {
                int deletedUpTo = 0;
                while (!writersDone.get()) {
                    int complete = Math.min(nextId.get(), Math.min(inFlight.get(0), inFlight.get(1)));
                    int upTo = Math.min(complete, total) - 20_000;
                    if (upTo > deletedUpTo + 1000) {
                        RoaringBitmap ids = new RoaringBitmap();
                        ids.add((long) deletedUpTo, (long) upTo);
                        List<Labels> labels = new ArrayList<>();
                        for (int i = deletedUpTo; i < upTo; i++) {
                            labels.add(labelsFor(i));
                        }
                        p.delete(ids, labels);
                        deletedUpTo = upTo;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }));
        AtomicInteger selections = new AtomicInteger();
        threads.add(new Thread(() -> {
            try {
                int round = 0;
                while (!writersDone.get() || round < 20) {
                    List<Matcher> ms = selectors.get(round++ % selectors.size());
                    RoaringBitmap got = PostingsForMatchers.select(reader, ms);
                    for (IntIterator it = got.getIntIterator(); it.hasNext(); ) {
                        int id = it.next();
                        if (!Matchers.matches(labelsFor(id), ms)) {
                            throw new AssertionError("series " + id + " " + labelsFor(id) + " selected by " + ms);
                        }
                    }
                    selections.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }));
        threads.forEach(Thread::start);
        assertThat(writers.await(60, TimeUnit.SECONDS)).isTrue();
        writersDone.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(selections.get()).isGreaterThanOrEqualTo(20);

        // Final state equals a brute-force index of what is left.
        RoaringBitmap left = p.all();
        assertThat(left.getCardinality()).isGreaterThanOrEqualTo(20_000);
        assertThat(left.last()).isEqualTo(total - 1);
        for (List<Matcher> ms : selectors) {
            RoaringBitmap want = new RoaringBitmap();
            for (IntIterator it = left.getIntIterator(); it.hasNext(); ) {
                int id = it.next();
                if (Matchers.matches(labelsFor(id), ms)) {
                    want.add(id);
                }
            }
            assertThat(PostingsForMatchers.select(reader, ms)).as(ms.toString()).isEqualTo(want);
        }
    }
}
