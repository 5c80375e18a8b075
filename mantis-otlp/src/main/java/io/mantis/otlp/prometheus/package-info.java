/**
 * OTLP metrics to Prometheus: the translation of the OpenTelemetry specification's "Prometheus
 * and OpenMetrics Compatibility" section (OTLP to Prometheus direction), and the Prometheus
 * remote-write 1.0 wire format.
 *
 * <p>The pieces:
 * <ul>
 *   <li>{@link io.mantis.otlp.prometheus.PrometheusTranslator} walks an OTLP metrics request
 *       and pushes Prometheus series into a {@link io.mantis.otlp.prometheus.SeriesSink}; it
 *       builds no intermediate request object, so one translation serves both the collector's
 *       remote-write exporter and an in-process store's append path.</li>
 *   <li>{@link io.mantis.otlp.prometheus.PrometheusNames} holds the naming rules (metric names,
 *       unit words, label names) on their own, so they can be tested and reused.</li>
 *   <li>{@link io.mantis.otlp.prometheus.RemoteWriteEncoder} is a sink that produces a
 *       snappy-compressed {@code prometheus.WriteRequest};
 *       {@link io.mantis.otlp.prometheus.RemoteWriteDecoder} reads one back into
 *       {@link io.mantis.otlp.prometheus.RemoteWriteRequest}.</li>
 * </ul>
 */
package io.mantis.otlp.prometheus;
