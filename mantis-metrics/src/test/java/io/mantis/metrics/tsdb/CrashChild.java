package io.mantis.metrics.tsdb;

import io.mantis.common.http.HttpListener;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.api.WriteApi;
import io.mantis.metrics.ingest.Ingest;
import io.mantis.otlp.prometheus.TranslationSettings;
import java.nio.file.Path;

/** A metrics store with its remote-write endpoint in a JVM of its own, for {@link TsdbCrashIT} to kill. */
public final class CrashChild {

    public static void main(String[] args) throws Exception {
        Tsdb tsdb = Tsdb.open(Path.of(args[0]), TsdbOptions.defaults(), new MetricRegistry());
        Ingest ingest = new Ingest(tsdb, TranslationSettings.defaults(), 64, new MetricRegistry());
        HttpListener server = HttpListener.builder("metrics", "127.0.0.1", 0)
                .routes(sb -> new WriteApi(ingest, 16 * 1024 * 1024).routes(sb)).build();
        server.start();
        System.out.println("LISTENING " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
