package io.mantis.otlp.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request of realistic batch size decodes completely (no timing assertions: CI machines vary). */
class OtlpJsonLargeRequestTest {

    private static final int SPANS = 1_000;

    @Test
    void aThousandSpanRequestDecodes() throws Exception {
        // Written by hand rather than by OtlpJson.write, so the reader is not only fed its own output.
        StringBuilder sb = new StringBuilder("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":"
                + "\"service.name\",\"value\":{\"stringValue\":\"load\"}}]},\"scopeSpans\":[{\"spans\":[\n");
        for (int i = 0; i < SPANS; i++) {
            if (i > 0) {
                sb.append(",\n");
            }
            sb.append("{\"traceId\":\"").append(String.format("%032X", i))
                    .append("\",\"spanId\":\"").append(String.format("%016x", i + 1))
                    .append("\",\"name\":\"op-").append(i)
                    .append("\",\"kind\":").append(i % 6)
                    .append(",\"startTimeUnixNano\":\"").append(1_700_000_000_000_000_000L + i)
                    .append("\",\"endTimeUnixNano\":").append(1_700_000_000_000_000_000L + i + 500)
                    .append(",\"attributes\":[{\"key\":\"i\",\"value\":{\"intValue\":\"").append(i)
                    .append("\"}},{\"key\":\"even\",\"value\":{\"boolValue\":").append(i % 2 == 0)
                    .append("}}],\"events\":[{\"name\":\"e\",\"timeUnixNano\":\"").append(i)
                    .append("\"}],\"status\":{\"code\":").append(i % 3).append("}}");
        }
        sb.append("]}]}]}");
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);

        ExportTraceServiceRequest req = OtlpJson.parseTraces(new ByteArrayInputStream(json));

        List<Span> spans = req.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertThat(spans).hasSize(SPANS);
        for (int i = 0; i < SPANS; i += 97) {
            Span s = spans.get(i);
            assertThat(HexFormat.of().formatHex(s.getTraceId().toByteArray())).isEqualTo(String.format("%032x", i));
            assertThat(s.getName()).isEqualTo("op-" + i);
            assertThat(s.getKindValue()).isEqualTo(i % 6);
            assertThat(s.getEndTimeUnixNano() - s.getStartTimeUnixNano()).isEqualTo(500);
            assertThat(s.getAttributes(0).getValue().getIntValue()).isEqualTo(i);
            assertThat(s.getStatus().getCodeValue()).isEqualTo(i % 3);
        }
        assertThat(OtlpJson.parseTraces(OtlpJson.toBytes(req))).isEqualTo(req);
    }
}
