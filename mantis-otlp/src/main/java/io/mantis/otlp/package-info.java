/**
 * The OTLP data model as the generated protobuf messages of opentelemetry-proto, plus what every
 * Mantis part needs around it: the OTLP/JSON encoding, and the translations from OTLP to
 * Prometheus series and to Loki streams, each written once and shared by the collector's
 * exporters and the stores' OTLP endpoints.
 */
package io.mantis.otlp;
