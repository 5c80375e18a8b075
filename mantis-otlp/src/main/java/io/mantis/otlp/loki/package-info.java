/**
 * OTLP logs as Loki streams, and Loki's push wire formats.
 *
 * <p>{@link io.mantis.otlp.loki.LokiTranslator} maps OTLP log records onto stream labels, a line
 * and structured metadata exactly as Loki 3's native OTLP endpoint does, and hands each entry to a
 * {@link io.mantis.otlp.loki.StreamSink}. {@link io.mantis.otlp.loki.LokiPushEncoder} and
 * {@link io.mantis.otlp.loki.LokiPushDecoder} write and read the push API's bodies (snappy
 * protobuf and JSON). The collector's {@code loki} exporter translates and encodes; the log
 * store's {@code /otlp/v1/logs} and {@code /loki/api/v1/push} endpoints translate or decode into
 * the same sink, so all three ingestion paths meet in one place.
 */
package io.mantis.otlp.loki;
