package io.mantis.metrics.api;

import com.google.protobuf.CodedOutputStream;
import io.mantis.otlp.prometheus.RemoteWriteEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A remote-write 1.0 request written field by field, so a test can send what a well-behaved
 * encoder never would: empty label values, unsorted labels, samples out of order. The production
 * encoder normalises label sets, which is right for sending and wrong for testing receivers.
 */
public final class RawRemoteWrite {

    // prometheus.WriteRequest / TimeSeries / Label / Sample / Exemplar / MetricMetadata field numbers
    private static final int REQ_TIMESERIES = 1;
    private static final int REQ_METADATA = 3;
    private static final int TS_LABELS = 1;
    private static final int TS_SAMPLES = 2;
    private static final int TS_EXEMPLARS = 3;
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    private static final int SAMPLE_VALUE = 1;
    private static final int SAMPLE_TIMESTAMP = 2;
    private static final int EXEMPLAR_LABELS = 1;
    private static final int EXEMPLAR_VALUE = 2;
    private static final int EXEMPLAR_TIMESTAMP = 3;
    private static final int MD_TYPE = 1;
    private static final int MD_FAMILY = 2;
    private static final int MD_HELP = 4;
    private static final int MD_UNIT = 5;

    /** remote write's MetricMetadata.MetricType numbers. */
    public enum Type {
        UNKNOWN, COUNTER, GAUGE, SUMMARY, HISTOGRAM, GAUGEHISTOGRAM, INFO, STATESET
    }

    private final ByteArrayOutputStream request = new ByteArrayOutputStream();
    private Series open;

    /** One time series of the request; its labels are sent exactly as given. */
    public final class Series {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final ByteArrayOutputStream samples = new ByteArrayOutputStream();
        private final ByteArrayOutputStream exemplars = new ByteArrayOutputStream();

        private Series(String... namesAndValues) {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                writeMessage(body, TS_LABELS, label(namesAndValues[i], namesAndValues[i + 1]));
            }
        }

        public Series sample(long timestampMillis, double value) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            write(s, out -> {
                out.writeDouble(SAMPLE_VALUE, value);
                out.writeInt64(SAMPLE_TIMESTAMP, timestampMillis);
            });
            writeMessage(samples, TS_SAMPLES, s.toByteArray());
            return this;
        }

        public Series exemplar(long timestampMillis, double value, String... namesAndValues) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                writeMessage(e, EXEMPLAR_LABELS, label(namesAndValues[i], namesAndValues[i + 1]));
            }
            write(e, out -> {
                out.writeDouble(EXEMPLAR_VALUE, value);
                out.writeInt64(EXEMPLAR_TIMESTAMP, timestampMillis);
            });
            writeMessage(exemplars, TS_EXEMPLARS, e.toByteArray());
            return this;
        }

        private byte[] bytes() {
            body.writeBytes(samples.toByteArray());
            body.writeBytes(exemplars.toByteArray());
            return body.toByteArray();
        }
    }

    /** Starts a series; the previous one is finished. */
    public Series series(String... namesAndValues) {
        finish();
        open = new Series(namesAndValues);
        return open;
    }

    public RawRemoteWrite metadata(Type type, String family, String help, String unit) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        write(m, out -> {
            out.writeEnum(MD_TYPE, type.ordinal());
            out.writeString(MD_FAMILY, family);
            out.writeString(MD_HELP, help);
            out.writeString(MD_UNIT, unit);
        });
        writeMessage(request, REQ_METADATA, m.toByteArray());
        return this;
    }

    /** The snappy-compressed body, as POSTed to {@code /api/v1/write}. */
    public byte[] snappy() {
        finish();
        return RemoteWriteEncoder.compress(request.toByteArray());
    }

    private void finish() {
        if (open != null) {
            writeMessage(request, REQ_TIMESERIES, open.bytes());
            open = null;
        }
    }

    private static byte[] label(String name, String value) {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        write(l, out -> {
            out.writeString(LABEL_NAME, name);
            out.writeString(LABEL_VALUE, value);
        });
        return l.toByteArray();
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static void write(ByteArrayOutputStream target, Fields fields) {
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(target);
            fields.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeMessage(ByteArrayOutputStream target, int field, byte[] message) {
        write(target, out -> out.writeByteArray(field, message));
    }
}
