package io.mantis.demo.telemetry;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;

/**
 * Chooses the OTLP exporters' transports explicitly instead of by service-loader discovery:
 * OTLP/gRPC over Armeria and OTLP/HTTP over the JDK's HttpClient. Nothing is registered in
 * {@code META-INF/services}, so other users of the SDK in the same jar are not affected.
 */
final class SenderComponentLoader implements ComponentLoader {
    static final SenderComponentLoader INSTANCE = new SenderComponentLoader();

    private final ComponentLoader fallback = ComponentLoader.forClassLoader(SenderComponentLoader.class.getClassLoader());

    @Override
    public <T> Iterable<T> load(Class<T> type) {
        if (type == GrpcSenderProvider.class) {
            GrpcSenderProvider p = (GrpcSenderConfig config) -> new ArmeriaGrpcSender(config);
            return List.of(type.cast(p));
        }
        if (type == HttpSenderProvider.class) {
            return List.of(type.cast(new JdkHttpSenderProvider()));
        }
        return fallback.load(type);
    }
}
