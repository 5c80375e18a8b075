package io.mantis.otlp.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native histograms with custom buckets (schema -53): {@code custom_values} on the wire, and Prometheus' checks. */
class CustomBucketsHistogramTest {

    private static final int NHCB = NativeHistogram.CUSTOM_BUCKETS_SCHEMA;
    private static final NativeHistogram.ResetHint HINT = NativeHistogram.ResetHint.UNKNOWN;
    private static final List<NativeHistogram.BucketSpan> FOUR = List.of(new NativeHistogram.BucketSpan(0, 4));

    private final RemoteWriteDecoder decoder = new RemoteWriteDecoder();

    private static NativeHistogram ints(double... bounds) {
        return NativeHistogram.ofIntegers(1000, NHCB, 0, 0, 8, 11.5, FOUR, new long[] {2, 2, -2, -2},
                List.of(), new long[0], HINT, bounds);
    }

    private static RemoteWriteRequest roundTrip(NativeHistogram h, RemoteWriteDecoder decoder) throws IOException {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "rpc_seconds"));
        enc.histogram(h);
        return decoder.decodeSnappy(enc.toSnappy());
    }

    @Test
    void integerAndFloatHistogramsKeepTheirBoundsThroughEncoderAndDecoder() throws IOException {
        NativeHistogram i = ints(0.1, 0.5, 2.5);
        NativeHistogram f = NativeHistogram.ofFloats(2000, NHCB, 0, 0, 3.5, 4.25, FOUR,
                new double[] {1, 0.5, 2, 0}, List.of(), new double[0], NativeHistogram.ResetHint.GAUGE,
                new double[] {-1, 0, 1e300});
        for (NativeHistogram h : List.of(i, f)) {
            NativeHistogram back = roundTrip(h, decoder).timeseries().get(0).histograms().get(0);
            assertThat(back).isEqualTo(h);
            assertThat(back.customValues()).containsExactly(h.customValues());
            assertThat(back.usesCustomBuckets()).isTrue();
        }
    }

    @Test
    void theEncoderWritesField16PackedAndOnlyWhenThereAreBounds() {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        enc.series(Labels.of("__name__", "a"));
        enc.histogram(ints(0.5, 1));
        enc.series(Labels.of("__name__", "b"));
        enc.histogram(NativeHistogram.ofIntegers(1, 0, 0, 0, 0, 0, List.of(), new long[0], List.of(), new long[0],
                HINT));
        UnknownFieldSet req = RemoteWriteCodecTest.parse(enc.toProtobuf());
        UnknownFieldSet a = RemoteWriteCodecTest.parse(RemoteWriteCodecTest.parse(req.getField(1).getLengthDelimitedList().get(0).toByteArray())
                .getField(4).getLengthDelimitedList().get(0).toByteArray());
        assertThat(a.getField(16).getLengthDelimitedList()).hasSize(1);
        ByteBuffer packed = a.getField(16).getLengthDelimitedList().get(0).asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(packed.remaining()).isEqualTo(16);
        assertThat(packed.getDouble()).isEqualTo(0.5);
        assertThat(packed.getDouble()).isEqualTo(1.0);
        UnknownFieldSet b = RemoteWriteCodecTest.parse(RemoteWriteCodecTest.parse(req.getField(1).getLengthDelimitedList().get(1).toByteArray())
                .getField(4).getLengthDelimitedList().get(0).toByteArray());
        assertThat(b.hasField(16)).isFalse();
    }

    @Test
    void theDecoderReadsUnpackedAndMixedCustomValues() throws IOException {
        byte[] body = RemoteWriteCodecTest.message(req -> req.writeByteArray(1, RemoteWriteCodecTest.message(ts -> {
            ts.writeByteArray(1, RemoteWriteCodecTest.message(l -> {
                l.writeString(1, "__name__");
                l.writeString(2, "m");
            }));
            ts.writeByteArray(4, RemoteWriteCodecTest.message(h -> {
                h.writeUInt64(1, 3);
                h.writeSInt32(4, NHCB);
                h.writeByteArray(11, RemoteWriteCodecTest.message(span -> span.writeUInt32(2, 3)));
                h.writeByteArray(12, RemoteWriteCodecTest.message(d -> {
                    d.writeSInt64NoTag(1);
                    d.writeSInt64NoTag(0);
                    d.writeSInt64NoTag(0);
                }));
                h.writeDouble(16, 0.25); // unpacked
                h.writeByteArray(16, RemoteWriteCodecTest.message(p -> p.writeDoubleNoTag(0.5))); // then a packed run
                h.writeDouble(16, 4); // and unpacked again: protobuf concatenates them all
            }));
        })));
        NativeHistogram h = decoder.decode(body).timeseries().get(0).histograms().get(0);
        assertThat(h.schema()).isEqualTo(NHCB);
        assertThat(h.customValues()).containsExactly(0.25, 0.5, 4.0);
        assertThatCode(h::validate).doesNotThrowAnyException();
    }

    @Test
    void exponentialHistogramsWithoutBoundsAreUnchanged() throws IOException {
        NativeHistogram h = NativeHistogram.ofIntegers(9, 3, 0.001, 1, 3, 2.0, List.of(new NativeHistogram.BucketSpan(-2, 2)),
                new long[] {1, 0}, List.of(), new long[0], HINT);
        NativeHistogram back = roundTrip(h, decoder).timeseries().get(0).histograms().get(0);
        assertThat(back).isEqualTo(h);
        assertThat(back.customValues()).isEmpty();
        assertThat(back.usesCustomBuckets()).isFalse();
        assertThatCode(back::validate).doesNotThrowAnyException();
    }

    @Test
    void equalsHashCodeAndToStringSeeTheBounds() {
        assertThat(ints(1, 2, 3)).isEqualTo(ints(1, 2, 3)).hasSameHashCodeAs(ints(1, 2, 3));
        assertThat(ints(1, 2, 3)).isNotEqualTo(ints(1, 2, 4));
        assertThat(ints(1, 2, 3).toString()).contains("customValues=[1.0, 2.0, 3.0]");
        // An empty array and no array are the same histogram.
        assertThat(NativeHistogram.ofIntegers(1, 0, 0, 0, 0, 0, List.of(), new long[0], List.of(), new long[0], HINT,
                null)).isEqualTo(NativeHistogram.ofIntegers(1, 0, 0, 0, 0, 0, List.of(), new long[0], List.of(),
                        new long[0], HINT, new double[0]));
    }

    @Test
    void validationRefusesWhatPrometheusRefuses() {
        assertThatCode(() -> ints(1, 2, 3).validate()).doesNotThrowAnyException();
        // The spans reach index 3, the +Inf bucket of three bounds; two bounds leave it uncovered.
        assertThatThrownBy(() -> ints(1, 2).validate()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("custom buckets: only 2 custom bounds defined which is insufficient to cover total span"
                        + " length of 4: histogram custom bounds are too few");
        assertThatThrownBy(() -> ints(1, 1, 3).validate())
                .hasMessageEndingWith("histogram custom bounds must be in strictly increasing order")
                .hasMessageStartingWith("custom buckets: previous bound is 1.0 and current is 1.0");
        assertThatThrownBy(() -> ints(3, 2, 1).validate())
                .hasMessageEndingWith("histogram custom bounds must be in strictly increasing order");
        assertThatThrownBy(() -> ints(1, Double.NaN, 3).validate())
                .hasMessageEndingWith("histogram custom bounds must be in strictly increasing order");
        assertThatThrownBy(() -> ints(Double.NEGATIVE_INFINITY, 2, 3).validate())
                .hasMessageEndingWith("histogram custom bounds must be in strictly increasing order");
        assertThatThrownBy(() -> ints(1, 2, Double.POSITIVE_INFINITY).validate())
                .hasMessage("custom buckets: last +Inf bound must not be explicitly defined:"
                        + " histogram custom bounds must be finite");
        assertThatThrownBy(() -> NativeHistogram.ofIntegers(1, NHCB, 0, 0, 1, 1,
                List.of(new NativeHistogram.BucketSpan(-1, 1)), new long[] {1}, List.of(), new long[0], HINT,
                new double[] {1}).validate())
                .hasMessage("custom buckets: span number 1 with offset -1: histogram has a span whose offset is negative");
        assertThatThrownBy(() -> NativeHistogram.ofIntegers(1, NHCB, 0, 2, 10, 1, FOUR, new long[] {2, 2, -2, -2},
                List.of(), new long[0], HINT, new double[] {1, 2, 3}).validate())
                .hasMessage("histogram with custom buckets must have zero count of 0");
        assertThatThrownBy(() -> NativeHistogram.ofFloats(1, NHCB, 0, 0.5, 8.5, 1, FOUR, new double[] {2, 4, 2, 0},
                List.of(), new double[0], HINT, new double[] {1, 2, 3}).validate())
                .hasMessage("histogram with custom buckets must have zero count of 0");
        assertThatThrownBy(() -> NativeHistogram.ofIntegers(1, NHCB, 0.001, 0, 8, 1, FOUR, new long[] {2, 2, -2, -2},
                List.of(), new long[0], HINT, new double[] {1, 2, 3}).validate())
                .hasMessage("histogram with custom buckets must have zero threshold of 0");
        assertThatThrownBy(() -> NativeHistogram.ofIntegers(1, NHCB, 0, 0, 8, 1, FOUR, new long[] {2, 2, -2, -2},
                List.of(new NativeHistogram.BucketSpan(0, 0)), new long[0], HINT, new double[] {1, 2, 3}).validate())
                .hasMessage("histogram with custom buckets must not have negative spans");
        assertThatThrownBy(() -> NativeHistogram.ofIntegers(1, NHCB, 0, 0, 9, 1, FOUR, new long[] {2, 2, -2, -2},
                List.of(new NativeHistogram.BucketSpan(0, 1)), new long[] {1}, HINT, new double[] {1, 2, 3})
                .validate())
                .hasMessage("histogram with custom buckets must not have negative spans");
        assertThatThrownBy(() -> NativeHistogram.ofIntegers(1, 0, 0, 0, 0, 0, List.of(), new long[0], List.of(),
                new long[0], HINT, new double[] {1}).validate())
                .hasMessage("histogram with exponential schema must not have custom bounds");
    }

    @Test
    void aHistogramWithOnlyTheInfBucketNeedsNoBounds() {
        assertThatCode(() -> NativeHistogram.ofIntegers(1, NHCB, 0, 0, 2, 1,
                List.of(new NativeHistogram.BucketSpan(0, 1)), new long[] {2}, List.of(), new long[0], HINT,
                null).validate()).doesNotThrowAnyException();
    }

}
