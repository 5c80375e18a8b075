package io.mantis.demo.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.mantis.demo.telemetry.ServiceTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop: users, orders, and two endpoints that exist to be slow or to fail. An order calls the
 * inventory and payments services over HTTP, so each one is a trace across three services.
 */
public final class ShopService {
    /** The shop's application logger; only loggers under this name are exported as the shop's logs. */
    public static final String LOGGER = "io.mantis.demo.app.shop";
    /** Users 1 to this number always exist, so a load generator can ask for them. */
    public static final int SEEDED_USERS = 10;
    static final int MAX_USERS = 10_000;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final String[] NAMES = {"Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra",
        "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson", "Frances Allen", "John Backus"};

    /** What the shop sells: sku and unit price in USD. */
    static final Map<String, Double> CATALOG = catalog();
    private static final List<String> SKUS = CATALOG.keySet().stream().sorted().toList();

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    record User(long id, String name, String email) {
    }

    private final ServiceTelemetry telemetry;
    private final Simulation simulation;
    private final RandomGenerator random;
    private final SimulatedStorage db;
    private final DownstreamClient inventory;
    private final DownstreamClient payments;
    private final ConcurrentSkipListMap<Long, User> users = new ConcurrentSkipListMap<>();
    private final AtomicLong nextUserId = new AtomicLong(1);
    private final AtomicLong nextOrderId = new AtomicLong(1000);
    private final LongCounter orders;
    private final DoubleHistogram orderValue;

    public ShopService(ServiceTelemetry telemetry, Simulation simulation, RandomGenerator random, URI inventoryUrl,
                       URI paymentsUrl, HttpClient http) {
        this.telemetry = telemetry;
        this.simulation = simulation;
        this.random = random;
        this.db = new SimulatedStorage(telemetry.tracer(), "postgresql", "shop", "shop-db", 5432, simulation, random);
        this.inventory = new DownstreamClient("inventory", inventoryUrl, telemetry, http, Duration.ofSeconds(5));
        this.payments = new DownstreamClient("payments", paymentsUrl, telemetry, http, Duration.ofSeconds(5));
        for (int i = 0; i < SEEDED_USERS; i++) {
            long id = nextUserId.getAndIncrement();
            String name = NAMES[i % NAMES.length];
            users.put(id, new User(id, name, name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.com"));
        }
        Meter meter = telemetry.meter();
        this.orders = meter.counterBuilder("demo.orders").setUnit("{order}")
                .setDescription("Orders handled, by outcome.").build();
        this.orderValue = meter.histogramBuilder("demo.order.value").setUnit("{USD}")
                .setDescription("Value of confirmed orders (an exponential histogram).").build();
        meter.gaugeBuilder("demo.users.stored").ofLongs().setUnit("{user}")
                .setDescription("Users in the shop's store.")
                .buildWithCallback(m -> m.record(users.size()));
        registerJvmMetrics(meter);
    }

    private static Map<String, Double> catalog() {
        Map<String, Double> c = new LinkedHashMap<>();
        c.put("SKU-COFFEE", 12.5);
        c.put("SKU-MUG", 9.0);
        c.put("SKU-GRINDER", 89.0);
        c.put("SKU-KETTLE", 45.0);
        c.put("SKU-BEANS-1KG", 24.0);
        return Map.copyOf(c);
    }

    /**
     * The JVM's own gauges under the runtime semantic conventions' names. The three services share
     * one JVM, so only the shop reports them.
     */
    private static void registerJvmMetrics(Meter meter) {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        meter.upDownCounterBuilder("jvm.memory.used").setUnit("By")
                .setDescription("Measure of memory used.")
                .buildWithCallback(m -> {
                    for (MemoryPoolMXBean p : pools) {
                        if (p.isValid()) {
                            m.record(p.getUsage().getUsed(), Attributes.of(Attrs.JVM_MEMORY_TYPE,
                                    p.getType() == MemoryType.HEAP ? "heap" : "non_heap",
                                    Attrs.JVM_MEMORY_POOL, p.getName()));
                        }
                    }
                });
        meter.upDownCounterBuilder("jvm.thread.count").setUnit("{thread}")
                .setDescription("Number of executing platform threads.")
                .buildWithCallback(m -> m.record(ManagementFactory.getThreadMXBean().getThreadCount()));
        meter.upDownCounterBuilder("jvm.class.count").setUnit("{class}")
                .setDescription("Number of classes currently loaded.")
                .buildWithCallback(m -> m.record(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            meter.gaugeBuilder("jvm.cpu.recent_utilization").setUnit("1")
                    .setDescription("Recent CPU utilization for the process as reported by the JVM.")
                    .buildWithCallback(m -> {
                        double load = os.getProcessCpuLoad();
                        if (load >= 0) {
                            m.record(load);
                        }
                    });
        }
    }

    /** The shop's routes. */
    public void addRoutes(com.linecorp.armeria.server.ServerBuilder sb, java.util.concurrent.Executor handlers) {
        new TracedRoutes(telemetry, log)
                .add("GET", "/api/users", r -> listUsers())
                .add("GET", "/api/users/{id}", r -> getUser(r.pathParams().get("id")))
                .add("POST", "/api/users", this::createUser)
                .add("GET", "/api/orders", r -> placeOrder())
                .add("GET", "/api/slow", r -> slow())
                .add("GET", "/api/error", r -> fail())
                .addUntraced("GET", "/health", r -> Reply.of(200, Map.of("status", "up", "service", "shop")))
                .addTo(sb, handlers);
    }

    public int userCount() {
        return users.size();
    }

    private Reply listUsers() {
        List<User> page = db.query("SELECT", "users", "SELECT id, name, email FROM users ORDER BY id LIMIT 50",
                () -> users.values().stream().limit(50).toList());
        log.atInfo().addKeyValue("demo.users.returned", page.size()).log("listed {} users", page.size());
        return Reply.of(200, Map.of("users", page, "total", users.size()));
    }

    private Reply getUser(String idText) throws DemoRequest.BadRequest {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw new DemoRequest.BadRequest("user id must be a number, got '" + idText + "'");
        }
        Span.current().setAttribute(Attrs.USER_ID, id);
        String key = "user:" + id;
        Optional<String> cached = db.cacheGet(key);
        if (cached.isPresent()) {
            return new Reply(200, cached.get());
        }
        Optional<User> user = db.query("SELECT", "users", "SELECT id, name, email FROM users WHERE id = $1",
                () -> Optional.ofNullable(users.get(id)));
        if (user.isEmpty()) {
            log.atWarn().addKeyValue("demo.user.id", id).log("user {} not found", id);
            return Reply.error(404, "user " + id + " not found");
        }
        Reply reply = Reply.of(200, user.get());
        db.cacheSet(key, reply.json());
        return reply;
    }

    private Reply createUser(DemoRequest request) throws DemoRequest.BadRequest {
        JsonNode body = request.jsonObject();
        String name = body.path("name").isTextual() ? body.get("name").asText().strip() : "";
        String email = body.path("email").isTextual() ? body.get("email").asText().strip() : "";
        if (name.isEmpty()) {
            throw new DemoRequest.BadRequest("name is required (a non-empty string)");
        }
        if (name.length() > 100) {
            throw new DemoRequest.BadRequest("name must be at most 100 characters, got " + name.length());
        }
        if (!EMAIL.matcher(email).matches()) {
            throw new DemoRequest.BadRequest("email must be an address like name@example.com, got '" + email + "'");
        }
        Span.current().addEvent("user validated");
        User user = db.query("INSERT", "users", "INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id",
                () -> {
                    User u = new User(nextUserId.getAndIncrement(), name, email);
                    users.put(u.id(), u);
                    evictBeyondCapacity();
                    return u;
                });
        Span.current().setAttribute(Attrs.USER_ID, user.id());
        log.atInfo().addKeyValue("demo.user.id", user.id()).log("created user {}", user.id());
        return Reply.of(201, user);
    }

    /** Keeps the store bounded over a long run; seeded users stay so their ids keep answering. */
    private void evictBeyondCapacity() {
        while (users.size() > MAX_USERS) {
            Map.Entry<Long, User> oldest = users.higherEntry((long) SEEDED_USERS);
            if (oldest == null) {
                return;
            }
            users.remove(oldest.getKey());
            db.cacheEvict("user:" + oldest.getKey());
        }
    }

    private Reply placeOrder() throws IOException {
        Span span = Span.current();
        String sku = SKUS.get(random.nextInt(SKUS.size()));
        int quantity = 1 + random.nextInt(3);
        String orderId = "ord-" + nextOrderId.getAndIncrement();
        span.setAttribute(Attrs.ORDER_ID, orderId).setAttribute(Attrs.SKU, sku).setAttribute(Attrs.QUANTITY, quantity);
        double price = db.query("SELECT", "products", "SELECT price FROM products WHERE sku = $1",
                () -> CATALOG.get(sku));
        double amount = Math.round(price * quantity * 100) / 100.0;

        Reply reserved;
        try {
            reserved = inventory.call("POST", "/inventory/reserve", "/inventory/reserve",
                    Reply.of(200, Map.of("sku", sku, "quantity", quantity)).json());
        } catch (IOException e) {
            return downstreamUnreachable(orderId, "inventory", e);
        }
        if (reserved.status() == 409) {
            orders.add(1, Attributes.of(Attrs.ORDER_STATUS, "out_of_stock"));
            log.atWarn().addKeyValue("demo.order.id", orderId).addKeyValue("demo.sku", sku)
                    .log("order {} refused: {} is out of stock", orderId, sku);
            return Reply.of(409, Map.of("order_id", orderId, "status", "out_of_stock", "sku", sku));
        }
        if (reserved.status() != 200) {
            return downstreamFailed(orderId, "inventory", reserved);
        }
        span.addEvent("inventory reserved", Attributes.of(Attrs.SKU, sku, Attrs.QUANTITY, (long) quantity));

        Reply paid;
        try {
            paid = payments.call("POST", "/payments/charge", "/payments/charge",
                    Reply.of(200, Map.of("order_id", orderId, "amount", amount, "currency", "USD")).json());
        } catch (IOException e) {
            return downstreamUnreachable(orderId, "payments", e);
        }
        if (paid.status() == 402) {
            orders.add(1, Attributes.of(Attrs.ORDER_STATUS, "payment_declined"));
            log.atWarn().addKeyValue("demo.order.id", orderId).addKeyValue("demo.order.amount", amount)
                    .log("order {} refused: payment of {} USD declined", orderId, amount);
            return Reply.of(402, Map.of("order_id", orderId, "status", "payment_declined"));
        }
        if (paid.status() != 200) {
            return downstreamFailed(orderId, "payments", paid);
        }
        String paymentId = paid.body().path("payment_id").asText("");
        span.addEvent("payment approved");

        db.query("INSERT", "orders", "INSERT INTO orders (id, sku, quantity, amount, payment_id) VALUES ($1, $2, $3,"
                + " $4, $5)", () -> orderId);
        orders.add(1, Attributes.of(Attrs.ORDER_STATUS, "confirmed"));
        orderValue.record(amount, Attributes.of(Attrs.SKU, sku));
        log.atInfo().addKeyValue("demo.order.id", orderId).addKeyValue("demo.order.amount", amount)
                .addKeyValue("demo.sku", sku).log("order {} confirmed: {} x {} for {} USD", orderId, quantity, sku,
                        amount);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("order_id", orderId);
        body.put("status", "confirmed");
        body.put("sku", sku);
        body.put("quantity", quantity);
        body.put("amount", amount);
        body.put("payment_id", paymentId);
        return Reply.of(200, body);
    }

    private Reply downstreamFailed(String orderId, String service, Reply answer) {
        orders.add(1, Attributes.of(Attrs.ORDER_STATUS, "failed"));
        log.atError().addKeyValue("demo.order.id", orderId).addKeyValue("peer.service", service)
                .log("order {} failed: {} answered {}", orderId, service, answer.status());
        Span.current().setStatus(StatusCode.ERROR, service + " failed");
        return Reply.of(502, Map.of("order_id", orderId, "error", service + " answered " + answer.status()));
    }

    private Reply downstreamUnreachable(String orderId, String service, IOException e) {
        orders.add(1, Attributes.of(Attrs.ORDER_STATUS, "failed"));
        log.atError().addKeyValue("demo.order.id", orderId).addKeyValue("peer.service", service).setCause(e)
                .log("order {} failed: {} did not answer", orderId, service);
        Span.current().setStatus(StatusCode.ERROR, service + " did not answer");
        return Reply.of(502, Map.of("order_id", orderId, "error", service + " did not answer: " + e.getMessage()));
    }

    private Reply slow() {
        Duration wait = simulation.slowLatency(random);
        Span span = telemetry.tracer().spanBuilder("compute recommendations").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Simulation.sleep(wait);
            span.setAttribute("demo.recommendations", 5L);
        } finally {
            span.end();
        }
        if (wait.compareTo(Duration.ofSeconds(1)) > 0) {
            log.atWarn().addKeyValue("demo.duration_ms", wait.toMillis())
                    .log("recommendations took {} ms", wait.toMillis());
        } else {
            log.atInfo().addKeyValue("demo.duration_ms", wait.toMillis())
                    .log("recommendations took {} ms", wait.toMillis());
        }
        return Reply.of(200, Map.of("recommendations", List.of("SKU-COFFEE", "SKU-MUG", "SKU-GRINDER",
                "SKU-KETTLE", "SKU-BEANS-1KG"), "took_ms", wait.toMillis()));
    }

    /** Always fails: an exception in a child span, recorded there and on the server span. */
    private Reply fail() {
        Span span = telemetry.tracer().spanBuilder("load pricing rules").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            db.query("SELECT", "pricing_rules", "SELECT rule FROM pricing_rules WHERE active", () -> List.of());
            throw new IllegalStateException("simulated failure: no active pricing rules");
        } catch (IllegalStateException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }
}
