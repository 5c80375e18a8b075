package io.mantis.otlp.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The OTLP/JSON encoding ("JSON Protobuf Encoding" of the OTLP specification) of the OTLP export
 * requests and responses. See the package documentation for the rules. Thread-safe and stateless;
 * per-message-type tables are built on first use and cached.
 */
public final class OtlpJson {

    /*
     * The caller owns the streams it passes in, so Jackson must not close them. Source snippets in
     * Jackson's locations are off: error messages carry our own path and line/column instead, and
     * should not echo request bodies. Characters outside the BMP (emoji in log bodies) are written
     * as their 4-byte UTF-8 form rather than as Jackson's default pair of escaped surrogates: both
     * are valid JSON, the former is shorter and what other OTLP encoders produce.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private OtlpJson() {
    }

    /**
     * Decodes a {@code POST /v1/traces} JSON body. The stream is read to the end of the top-level
     * object (and checked for trailing content) but not closed.
     *
     * @throws OtlpJsonException the body is not valid OTLP/JSON; the message names the JSON path
     * @throws UncheckedIOException reading the stream failed (not the sender's JSON's fault)
     */
    public static ExportTraceServiceRequest parseTraces(InputStream json) throws OtlpJsonException {
        return parse(json, ExportTraceServiceRequest.getDefaultInstance());
    }

    /** Decodes a {@code POST /v1/traces} JSON body. */
    public static ExportTraceServiceRequest parseTraces(byte[] json) throws OtlpJsonException {
        return parse(json, ExportTraceServiceRequest.getDefaultInstance());
    }

    /** Decodes a {@code POST /v1/metrics} JSON body; see {@link #parseTraces(InputStream)}. */
    public static ExportMetricsServiceRequest parseMetrics(InputStream json)
            throws OtlpJsonException {
        return parse(json, ExportMetricsServiceRequest.getDefaultInstance());
    }

    /** Decodes a {@code POST /v1/metrics} JSON body. */
    public static ExportMetricsServiceRequest parseMetrics(byte[] json) throws OtlpJsonException {
        return parse(json, ExportMetricsServiceRequest.getDefaultInstance());
    }

    /** Decodes a {@code POST /v1/logs} JSON body; see {@link #parseTraces(InputStream)}. */
    public static ExportLogsServiceRequest parseLogs(InputStream json) throws OtlpJsonException {
        return parse(json, ExportLogsServiceRequest.getDefaultInstance());
    }

    /** Decodes a {@code POST /v1/logs} JSON body. */
    public static ExportLogsServiceRequest parseLogs(byte[] json) throws OtlpJsonException {
        return parse(json, ExportLogsServiceRequest.getDefaultInstance());
    }

    /**
     * Decodes any OTLP message from JSON, e.g. an {@code ExportTraceServiceResponse} that an
     * OTLP/HTTP exporter got back from a JSON endpoint.
     *
     * @param prototype any instance of the wanted type, typically {@code X.getDefaultInstance()}
     * @throws UncheckedIOException reading the stream failed
     */
    public static <T extends Message> T parse(InputStream json, T prototype)
            throws OtlpJsonException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return read(p, prototype);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes any OTLP message from JSON; see {@link #parse(InputStream, Message)}. */
    public static <T extends Message> T parse(byte[] json, T prototype) throws OtlpJsonException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return read(p, prototype);
        } catch (IOException e) {
            // A byte array cannot fail to be read, and JSON problems are OtlpJsonExceptions.
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends Message> T read(JsonParser p, T prototype)
            throws OtlpJsonException, IOException {
        Message.Builder builder = prototype.newBuilderForType();
        JsonReader.read(p, builder);
        @SuppressWarnings("unchecked") // a builder of T's type builds a T
        T message = (T) builder.build();
        return message;
    }

    /**
     * Writes {@code message} as compact OTLP/JSON in UTF-8: any OTLP export request or response
     * (including the partial-success responses). The stream is flushed, not closed.
     */
    public static void write(Message message, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            JsonWriter.write(message, g);
        }
    }

    /** {@link #write} into a new byte array. */
    public static byte[] toBytes(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            write(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException("ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }
}
