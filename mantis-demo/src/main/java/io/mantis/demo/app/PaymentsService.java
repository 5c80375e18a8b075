package io.mantis.demo.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.server.ServerBuilder;
import io.mantis.demo.telemetry.ServiceTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The payments service: charges an order's amount, and now and then declines or fails. */
public final class PaymentsService {
    public static final String LOGGER = "io.mantis.demo.app.payments";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final ServiceTelemetry telemetry;
    private final Simulation simulation;
    private final RandomGenerator random;
    private final SimulatedStorage db;
    private final AtomicLong nextPaymentId = new AtomicLong(50_000);
    private final LongCounter charges;
    private final DoubleCounter charged;

    public PaymentsService(ServiceTelemetry telemetry, Simulation simulation, RandomGenerator random) {
        this.telemetry = telemetry;
        this.simulation = simulation;
        this.random = random;
        this.db = new SimulatedStorage(telemetry.tracer(), "postgresql", "payments", "payments-db", 5432,
                simulation, random);
        charges = telemetry.meter().counterBuilder("payments.charges").setUnit("{charge}")
                .setDescription("Charge attempts, by outcome.").build();
        charged = telemetry.meter().counterBuilder("payments.amount").ofDoubles().setUnit("{USD}")
                .setDescription("Money charged successfully.").build();
    }

    public void addRoutes(ServerBuilder sb, java.util.concurrent.Executor handlers) {
        new TracedRoutes(telemetry, log)
                .add("POST", "/payments/charge", this::charge)
                .addUntraced("GET", "/health", r -> Reply.of(200, Map.of("status", "up", "service", "payments")))
                .addTo(sb, handlers);
    }

    private Reply charge(DemoRequest request) throws DemoRequest.BadRequest {
        JsonNode body = request.jsonObject();
        String orderId = body.path("order_id").asText("");
        double amount = body.path("amount").asDouble(-1);
        if (orderId.isEmpty() || !(amount > 0)) {
            throw new DemoRequest.BadRequest("order_id (a string) and amount (a positive number) are required");
        }
        Span.current().setAttribute(Attrs.ORDER_ID, orderId);

        double risk = fraudCheck(amount);
        if (random.nextDouble() < simulation.paymentFailure()) {
            // The gateway's failure is an exception in this service: recorded on the span, logged with
            // its stack trace, and a 503 for the shop.
            IllegalStateException e = new IllegalStateException("payment gateway timed out after 3000 ms");
            Span.current().recordException(e);
            Span.current().setStatus(StatusCode.ERROR, e.getMessage());
            charges.add(1, Attributes.of(Attrs.PAYMENT_OUTCOME, "failed"));
            log.atError().addKeyValue("demo.order.id", orderId).setCause(e)
                    .log("charging order {} failed", orderId);
            return Reply.error(503, e.getMessage());
        }
        if (random.nextDouble() < simulation.paymentDeclined()) {
            charges.add(1, Attributes.of(Attrs.PAYMENT_OUTCOME, "declined"));
            log.atWarn().addKeyValue("demo.order.id", orderId).addKeyValue("demo.risk.score", risk)
                    .log("declined {} USD for order {}", amount, orderId);
            return Reply.of(402, Map.of("status", "declined", "reason", "insufficient funds"));
        }
        String paymentId = "pay-" + nextPaymentId.getAndIncrement();
        db.query("INSERT", "payments", "INSERT INTO payments (id, order_id, amount) VALUES ($1, $2, $3)",
                () -> paymentId);
        charges.add(1, Attributes.of(Attrs.PAYMENT_OUTCOME, "approved"));
        charged.add(amount);
        log.atInfo().addKeyValue("demo.order.id", orderId).addKeyValue("demo.payment.id", paymentId)
                .log("charged {} USD for order {}", amount, orderId);
        return Reply.of(200, Map.of("status", "approved", "payment_id", paymentId));
    }

    /** A pretend risk model: an internal span with its score. */
    private double fraudCheck(double amount) {
        Span span = telemetry.tracer().spanBuilder("fraud check").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Simulation.sleep(simulation.storageLatency(random));
            double risk = Math.min(1, amount / 1000 + random.nextDouble() * 0.2);
            span.setAttribute(Attrs.RISK_SCORE, risk);
            return risk;
        } finally {
            span.end();
        }
    }
}
