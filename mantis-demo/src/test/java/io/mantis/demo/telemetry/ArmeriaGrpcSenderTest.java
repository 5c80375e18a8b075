package io.mantis.demo.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** How the sender reads gRPC answers; sending itself is covered against a real gRPC server. */
class ArmeriaGrpcSenderTest {

    private static byte[] framed(byte[] message, boolean compressed) {
        byte[] out = new byte[message.length + 5];
        out[0] = (byte) (compressed ? 1 : 0);
        out[4] = (byte) message.length;
        System.arraycopy(message, 0, out, 5, message.length);
        return out;
    }

    @Test
    void statusComesFromTheTrailers() throws Exception {
        AggregatedHttpResponse res = AggregatedHttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "content-type", "application/grpc"),
                HttpData.wrap(framed(new byte[] {8, 1}, false)),
                HttpHeaders.of("grpc-status", "0"));
        ArmeriaGrpcSender.Answer a = ArmeriaGrpcSender.answer(res);
        assertThat(a.getStatusCode()).isEqualTo(GrpcStatusCode.OK);
        assertThat(a.getResponseMessage()).containsExactly(8, 1);
    }

    @Test
    void aTrailersOnlyAnswerCarriesTheStatusInItsHeadersWithAPercentEncodedMessage() throws Exception {
        AggregatedHttpResponse res = AggregatedHttpResponse.of(ResponseHeaders.of(HttpStatus.OK,
                "content-type", "application/grpc", "grpc-status", "14", "grpc-message", "busy%20now+100%25"));
        ArmeriaGrpcSender.Answer a = ArmeriaGrpcSender.answer(res);
        assertThat(a.getStatusCode()).isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(a.getStatusDescription()).isEqualTo("busy now+100%");
        assertThat(a.getResponseMessage()).isEmpty();
    }

    @Test
    void withoutAGrpcStatusTheHttpStatusIsMappedAsGrpcDoes() throws Exception {
        assertThat(ArmeriaGrpcSender.answer(AggregatedHttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE)).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAVAILABLE);
        assertThat(ArmeriaGrpcSender.answer(AggregatedHttpResponse.of(HttpStatus.NOT_FOUND)).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNIMPLEMENTED);
        assertThat(ArmeriaGrpcSender.answer(AggregatedHttpResponse.of(HttpStatus.UNAUTHORIZED)).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNAUTHENTICATED);
        assertThat(ArmeriaGrpcSender.answer(AggregatedHttpResponse.of(HttpStatus.valueOf(418))).getStatusCode())
                .isEqualTo(GrpcStatusCode.UNKNOWN);
    }

    @Test
    void aGzippedResponseMessageIsInflated() throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
            gz.write(new byte[] {1, 2, 3});
        }
        AggregatedHttpResponse res = AggregatedHttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "content-type", "application/grpc", "grpc-encoding", "gzip"),
                HttpData.wrap(framed(z.toByteArray(), true)), HttpHeaders.of("grpc-status", "0"));
        assertThat(ArmeriaGrpcSender.answer(res).getResponseMessage()).containsExactly(1, 2, 3);
    }
}
