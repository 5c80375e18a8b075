package io.mantis.demo.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.server.ServerBuilder;
import io.mantis.demo.telemetry.ServiceTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The inventory service: stock levels per sku, reserved by the shop's orders. */
public final class InventoryService {
    public static final String LOGGER = "io.mantis.demo.app.inventory";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final int RESTOCK_BELOW = 5;
    private static final int RESTOCK_TO = 100;

    private final ServiceTelemetry telemetry;
    private final Simulation simulation;
    private final RandomGenerator random;
    private final SimulatedStorage db;
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();
    private final LongCounter reservations;

    public InventoryService(ServiceTelemetry telemetry, Simulation simulation, RandomGenerator random) {
        this.telemetry = telemetry;
        this.simulation = simulation;
        this.random = random;
        this.db = new SimulatedStorage(telemetry.tracer(), "postgresql", "inventory", "inventory-db", 5432,
                simulation, random);
        ShopService.CATALOG.keySet().forEach(sku -> stock.put(sku, RESTOCK_TO));
        reservations = telemetry.meter().counterBuilder("inventory.reservations").setUnit("{reservation}")
                .setDescription("Reservation requests, by outcome.").build();
        telemetry.meter().gaugeBuilder("inventory.stock").ofLongs().setUnit("{item}")
                .setDescription("Items in stock, by sku.")
                .buildWithCallback(m -> stock.forEach((sku, n) -> m.record(n, Attributes.of(Attrs.SKU, sku))));
    }

    public void addRoutes(ServerBuilder sb, java.util.concurrent.Executor handlers) {
        new TracedRoutes(telemetry, log)
                .add("POST", "/inventory/reserve", this::reserve)
                .add("GET", "/inventory/{sku}", r -> level(r.pathParams().get("sku")))
                .addUntraced("GET", "/health", r -> Reply.of(200, Map.of("status", "up", "service", "inventory")))
                .addTo(sb, handlers);
    }

    private Reply level(String sku) {
        Optional<Integer> n = available(sku);
        if (n.isEmpty()) {
            return Reply.error(404, "unknown sku " + sku);
        }
        return Reply.of(200, Map.of("sku", sku, "available", n.get()));
    }

    /** Stock through the cache, as a real service would read it. */
    private Optional<Integer> available(String sku) {
        Optional<String> cached = db.cacheGet("stock:" + sku);
        if (cached.isPresent()) {
            return Optional.of(Integer.parseInt(cached.get()));
        }
        Optional<Integer> n = db.query("SELECT", "stock", "SELECT available FROM stock WHERE sku = $1",
                () -> Optional.ofNullable(stock.get(sku)));
        n.ifPresent(v -> db.cacheSet("stock:" + sku, String.valueOf(v)));
        return n;
    }

    private Reply reserve(DemoRequest request) throws DemoRequest.BadRequest {
        JsonNode body = request.jsonObject();
        String sku = body.path("sku").asText("");
        int quantity = body.path("quantity").asInt(0);
        if (sku.isEmpty() || quantity <= 0) {
            throw new DemoRequest.BadRequest("sku (a string) and quantity (a positive number) are required");
        }
        Span.current().setAttribute(Attrs.SKU, sku).setAttribute(Attrs.QUANTITY, quantity);
        Optional<Integer> n = available(sku);
        if (n.isEmpty()) {
            return Reply.error(404, "unknown sku " + sku);
        }
        if (n.get() < quantity || random.nextDouble() < simulation.outOfStock()) {
            reservations.add(1, Attributes.of(Attrs.ORDER_STATUS, "out_of_stock"));
            log.atWarn().addKeyValue("demo.sku", sku).addKeyValue("demo.quantity", quantity)
                    .log("cannot reserve {} x {}: out of stock", quantity, sku);
            return Reply.of(409, Map.of("error", "out of stock", "sku", sku));
        }
        int left = db.query("UPDATE", "stock", "UPDATE stock SET available = available - $1 WHERE sku = $2",
                () -> stock.merge(sku, -quantity, Integer::sum));
        db.cacheEvict("stock:" + sku);
        if (left < RESTOCK_BELOW) {
            stock.put(sku, RESTOCK_TO);
            Span.current().addEvent("restocked", Attributes.of(Attrs.SKU, sku, Attrs.QUANTITY, (long) RESTOCK_TO));
            log.atInfo().addKeyValue("demo.sku", sku).log("restocked {} to {}", sku, RESTOCK_TO);
        }
        reservations.add(1, Attributes.of(Attrs.ORDER_STATUS, "reserved"));
        log.atInfo().addKeyValue("demo.sku", sku).addKeyValue("demo.quantity", quantity)
                .log("reserved {} x {}, {} left", quantity, sku, Math.max(left, 0));
        return Reply.of(200, Map.of("sku", sku, "reserved", quantity, "available", Math.max(left, 0)));
    }
}
