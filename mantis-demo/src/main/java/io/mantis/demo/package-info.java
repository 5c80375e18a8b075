/**
 * The demo application: a small shop-like HTTP service and two downstream services, instrumented
 * with the OpenTelemetry Java SDK, plus a load generator that drives it.
 */
package io.mantis.demo;
