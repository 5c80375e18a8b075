package io.mantis.collector.receiver.otlp;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.grpc.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code zstd} gRPC message encoding, which OpenTelemetry senders may use besides gzip; gRPC
 * Java ships only gzip.
 */
final class ZstdCodec implements Codec {
    static final ZstdCodec INSTANCE = new ZstdCodec();

    @Override
    public String getMessageEncoding() {
        return "zstd";
    }

    @Override
    public InputStream decompress(InputStream is) throws IOException {
        return new ZstdInputStream(is);
    }

    @Override
    public OutputStream compress(OutputStream os) throws IOException {
        return new ZstdOutputStream(os);
    }
}
