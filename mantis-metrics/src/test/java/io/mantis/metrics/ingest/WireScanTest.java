package io.mantis.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.otlp.prometheus.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireScanTest {

    @Test
    void hashDependsOnEveryByteAndOnlyOnTheRange() {
        byte[] b = new byte[40];
        Set<Long> seen = new HashSet<>();
        for (int len = 0; len <= 17; len++) {
            assertThat(seen.add(WireScan.hash(b, 3, 3 + len))).as("length %d", len).isTrue();
        }
        long base = WireScan.hash(b, 0, 40);
        for (int i = 0; i < 40; i++) {
            b[i] = 1;
            assertThat(WireScan.hash(b, 0, 40)).as("byte %d", i).isNotEqualTo(base);
            b[i] = 0;
        }
        byte[] shifted = new byte[50];
        shifted[7] = 42;
        b[2] = 42;
        assertThat(WireScan.hash(shifted, 5, 45)).isEqualTo(WireScan.hash(b, 0, 40));
    }

    @Test
    void sameLabelsComparesPairByPairInOrder() throws Exception {
        Labels l = Labels.of("__name__", "up", "job", "node", "zone", "ü");
        byte[] exact = labels("__name__", "up", "job", "node", "zone", "ü");
        assertThat(WireScan.sameLabels(exact, 0, exact.length, l)).isTrue();
        assertThat(same(l, "__name__", "up", "job", "node")).isFalse();
        assertThat(same(l, "__name__", "up", "job", "node", "zone", "ü", "x", "y")).isFalse();
        assertThat(same(l, "job", "node", "__name__", "up", "zone", "ü")).isFalse();
        assertThat(same(l, "__name__", "up", "job", "nodf", "zone", "ü")).isFalse();
        assertThat(same(l, "__name__", "up", "job", "node", "zone", "u")).isFalse();
        assertThat(same(l, "__name__", "up", "job", "node", "zone", "üü")).isFalse();
        assertThat(same(Labels.of("__name__", "up"), "__name__", "up", "empty", "")).isFalse();
    }

    private static boolean same(Labels l, String... pairs) throws Exception {
        byte[] b = labels(pairs);
        return WireScan.sameLabels(b, 0, b.length, l);
    }

    /** The {@code Label} fields of a {@code TimeSeries}, as a sender encodes them. */
    static byte[] labels(String... pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] n = pairs[i].getBytes(StandardCharsets.UTF_8);
            byte[] v = pairs[i + 1].getBytes(StandardCharsets.UTF_8);
            out.write(0x0A);
            out.write(4 + n.length + v.length);
            out.write(0x0A);
            out.write(n.length);
            out.writeBytes(n);
            out.write(0x12);
            out.write(v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }
}
