/** The OpenTelemetry Collector's role: receivers, processors, exporters and pipelines. */
package io.mantis.collector;
