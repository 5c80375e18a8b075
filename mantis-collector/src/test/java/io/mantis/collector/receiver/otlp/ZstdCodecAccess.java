package io.mantis.collector.receiver.otlp;

/** Lets tests in other packages send zstd-compressed gRPC requests with the receiver's codec. */
public final class ZstdCodecAccess {
    private ZstdCodecAccess() {
    }

    public static io.grpc.Codec codec() {
        return ZstdCodec.INSTANCE;
    }
}
