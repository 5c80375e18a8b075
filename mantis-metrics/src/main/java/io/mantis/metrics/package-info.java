/**
 * The metrics store: a time-series database on the Prometheus TSDB design ({@code tsdb}), its
 * ingest paths and the Prometheus HTTP API ({@code api}); PromQL comes with its own package.
 */
package io.mantis.metrics;
