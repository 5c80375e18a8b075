package io.mantis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.Endpoint;
import io.mantis.demo.OtlpSink.ResourceLog;
import io.mantis.demo.OtlpSink.ResourceMetric;
import io.mantis.demo.OtlpSink.ResourceSpan;
import io.mantis.demo.app.Simulation;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Runs the demo against an in-test OTLP/gRPC receiver, sends one request of each kind, stops the
 * demo (which flushes its SDKs) and checks what was exported: the three-service trace tree,
 * metric names, units and exemplars, and logs tied to the spans they were written in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoServiceTest {
    private static final String MANTIS_OWN_LOG = "mantis' own log line, never exported by the demo";

    private OtlpSink sink;
    private final Map<String, HttpResponse<String>> answers = new HashMap<>();
    private List<ResourceSpan> spans;
    private List<ResourceMetric> metrics;
    private List<ResourceLog> logs;

    @BeforeAll
    void runTheDemo() throws Exception {
        sink = new OtlpSink();
        DemoConfig config = new DemoConfig(true, null, 0, 0, "test",
                new DemoConfig.Otlp(sink.url(), DemoConfig.Protocol.GRPC, Map.of("x-demo-tenant", "acme"),
                        Duration.ofSeconds(5), DemoConfig.Compression.GZIP),
                Duration.ofMillis(300), DemoConfig.Load.DEFAULTS);
        DemoService demo = new DemoService(config, new Endpoint("127.0.0.1", 0),
                DemoService.Options.defaults("9.9.9-test").withEnv(Map.of()).withSimulation(Simulation.PREDICTABLE)
                        .withProgress(null));
        demo.start();
        try {
            assertThat(demo.isReady()).isTrue();
            URI shop = demo.shopUrl();
            HttpClient http = HttpClient.newHttpClient();
            answers.put("order", send(http, shop, "GET", "/api/orders", null));
            answers.put("user", send(http, shop, "GET", "/api/users/3", null));
            answers.put("unknown user", send(http, shop, "GET", "/api/users/9999", null));
            answers.put("users", send(http, shop, "GET", "/api/users", null));
            answers.put("create", send(http, shop, "POST", "/api/users", "{\"name\":\"Edsger\",\"email\":\"ed@example.com\"}"));
            answers.put("bad email", send(http, shop, "POST", "/api/users", "{\"name\":\"Edsger\",\"email\":\"nope\"}"));
            answers.put("bad json", send(http, shop, "POST", "/api/users", "{\"name\": "));
            answers.put("error", send(http, shop, "GET", "/api/error", null));
            answers.put("slow", send(http, shop, "GET", "/api/slow", null));
            answers.put("health", send(http, shop, "GET", "/health", null));
            answers.put("nowhere", send(http, shop, "GET", "/api/nowhere", null));
            // Mantis' own logging shares the Logback context; none of it may reach the demo's SDKs.
            LoggerFactory.getLogger("io.mantis.server.MantisServer").info(MANTIS_OWN_LOG);
            LoggerFactory.getLogger("io.mantis.demo.NotAnApp").warn(MANTIS_OWN_LOG);
            http.close();
        } finally {
            demo.stop();
        }
        spans = sink.spans();
        metrics = sink.metrics();
        logs = sink.logs();
    }

    private static HttpResponse<String> send(HttpClient http, URI base, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    void closeSink() {
        sink.close();
    }

    private ResourceSpan one(String service, String name) {
        List<ResourceSpan> found = spans.stream().filter(s -> s.service().equals(service)
                && s.span().getName().equals(name)).toList();
        assertThat(found).as(service + " span " + name).hasSize(1);
        return found.get(0);
    }

    private ResourceSpan serverSpan(String route, long status) {
        return spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                        && route.equals(s.attr("http.route")) && String.valueOf(status).equals(s.attr("http.response.status_code")))
                .findFirst().orElseThrow(() -> new AssertionError("no server span for " + route + " " + status));
    }

    private List<ResourceSpan> children(ResourceSpan parent) {
        return spans.stream().filter(s -> s.traceId().equals(parent.traceId()) && s.parentId().equals(parent.spanId()))
                .toList();
    }

    @Test
    void theShopAnswersLikeAShop() {
        assertThat(answers.get("order").statusCode()).isEqualTo(200);
        assertThat(answers.get("order").body()).contains("\"status\":\"confirmed\"").contains("\"payment_id\":\"pay-");
        assertThat(answers.get("user").statusCode()).isEqualTo(200);
        assertThat(answers.get("user").body()).contains("\"id\":3");
        assertThat(answers.get("unknown user").statusCode()).isEqualTo(404);
        assertThat(answers.get("unknown user").body()).contains("user 9999 not found");
        assertThat(answers.get("users").body()).contains("\"total\":10");
        assertThat(answers.get("create").statusCode()).isEqualTo(201);
        assertThat(answers.get("create").body()).contains("\"id\":11").contains("ed@example.com");
        assertThat(answers.get("bad email").statusCode()).isEqualTo(400);
        assertThat(answers.get("bad email").body()).contains("email must be an address like name@example.com");
        assertThat(answers.get("bad json").statusCode()).isEqualTo(400);
        assertThat(answers.get("bad json").body()).contains("not valid JSON");
        assertThat(answers.get("error").statusCode()).isEqualTo(500);
        assertThat(answers.get("slow").statusCode()).isEqualTo(200);
        assertThat(answers.get("health").body()).contains("\"status\":\"up\"");
        assertThat(answers.get("nowhere").statusCode()).isEqualTo(404);
        assertThat(answers.values()).allSatisfy(r -> assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json")));
    }

    @Test
    void anOrderIsOneTraceAcrossThreeServicesWithRemoteParents() {
        ResourceSpan root = one("shop", "GET /api/orders");
        assertThat(root.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(root.parentId()).isEmpty();
        assertThat(root.attr("http.request.method")).isEqualTo("GET");
        assertThat(root.attr("http.route")).isEqualTo("/api/orders");
        assertThat(root.attr("http.response.status_code")).isEqualTo("200");
        assertThat(root.attr("url.path")).isEqualTo("/api/orders");
        assertThat(root.attr("server.address")).isEqualTo("127.0.0.1");
        assertThat(root.attr("server.port")).isNotNull();
        assertThat(root.span().getEventsList()).extracting(Span.Event::getName)
                .contains("inventory reserved", "payment approved");

        List<ResourceSpan> trace = spans.stream().filter(s -> s.traceId().equals(root.traceId())).toList();
        assertThat(trace).extracting(ResourceSpan::service).containsOnly("shop", "inventory", "payments")
                .contains("shop", "inventory", "payments");
        // Every span's parent is in the trace, except the root's.
        Set<String> ids = trace.stream().map(ResourceSpan::spanId).collect(Collectors.toSet());
        assertThat(trace).filteredOn(s -> s != root).allSatisfy(s -> assertThat(ids).contains(s.parentId()));

        ResourceSpan reserveCall = one("shop", "POST /inventory/reserve");
        assertThat(reserveCall.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(reserveCall.parentId()).isEqualTo(root.spanId());
        assertThat(reserveCall.attr("peer.service")).isEqualTo("inventory");
        assertThat(reserveCall.attr("url.full")).startsWith("http://127.0.0.1:").endsWith("/inventory/reserve");
        ResourceSpan reserve = spans.stream().filter(s -> s.service().equals("inventory")
                && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        assertThat(reserve.traceId()).isEqualTo(root.traceId());
        assertThat(reserve.parentId()).as("inventory's server span is the child of the shop's client span")
                .isEqualTo(reserveCall.spanId());
        assertThat(reserve.span().getName()).isEqualTo("POST /inventory/reserve");

        ResourceSpan chargeCall = one("shop", "POST /payments/charge");
        assertThat(chargeCall.parentId()).isEqualTo(root.spanId());
        ResourceSpan charge = one("payments", "POST /payments/charge");
        assertThat(charge.traceId()).isEqualTo(root.traceId());
        assertThat(charge.parentId()).isEqualTo(chargeCall.spanId());
        assertThat(children(charge)).extracting(s -> s.span().getName()).contains("fraud check", "INSERT payments");

        assertThat(children(reserve)).extracting(s -> s.span().getName()).contains("GET", "SELECT stock", "UPDATE stock");
        ResourceSpan cacheGet = children(reserve).stream().filter(s -> s.span().getName().equals("GET")).findFirst()
                .orElseThrow();
        assertThat(cacheGet.attr("db.system")).isEqualTo("redis");
        assertThat(cacheGet.attr("demo.cache.hit")).isEqualTo("false");
        assertThat(cacheGet.span().getEventsList()).extracting(Span.Event::getName).contains("cache miss");

        ResourceSpan select = children(root).stream().filter(s -> s.span().getName().equals("SELECT products"))
                .findFirst().orElseThrow();
        assertThat(select.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(select.attr("db.system")).isEqualTo("postgresql");
        assertThat(select.attr("db.system.name")).isEqualTo("postgresql");
        assertThat(select.attr("db.operation")).isEqualTo("SELECT");
        assertThat(select.attr("db.operation.name")).isEqualTo("SELECT");
        assertThat(select.attr("db.collection.name")).isEqualTo("products");
        assertThat(select.attr("db.query.text")).contains("FROM products");
        assertThat(select.attr("server.address")).isEqualTo("shop-db");
    }

    @Test
    void errorsAreRecordedAsExceptionsOnErrorSpans() {
        ResourceSpan error = serverSpan("/api/error", 500);
        assertThat(error.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(error.attr("error.type")).isEqualTo("500");
        Span.Event ex = error.span().getEventsList().stream().filter(e -> e.getName().equals("exception"))
                .findFirst().orElseThrow();
        assertThat(OtlpSink.attr(ex.getAttributesList(), "exception.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(OtlpSink.attr(ex.getAttributesList(), "exception.message")).contains("no active pricing rules");
        assertThat(OtlpSink.attr(ex.getAttributesList(), "exception.stacktrace")).contains("at io.mantis.demo.app.ShopService");
        ResourceSpan rules = children(error).stream().filter(s -> s.span().getName().equals("load pricing rules"))
                .findFirst().orElseThrow();
        assertThat(rules.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(rules.span().getEventsList()).extracting(Span.Event::getName).contains("exception");

        // A 4xx is the client's mistake: the server span is not an error.
        ResourceSpan notFound = serverSpan("/api/users/{id}", 404);
        assertThat(notFound.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        assertThat(notFound.attr("demo.user.id")).isEqualTo("9999");
        assertThat(serverSpan("/api/users", 400).span().getStatus().getCode())
                .isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        assertThat(serverSpan("/api/users", 201).span().getEventsList()).extracting(Span.Event::getName)
                .contains("user validated");
        // Health probes stay out of the traces.
        assertThat(spans).noneMatch(s -> s.span().getName().contains("/health"));
    }

    @Test
    void eachServiceHasItsOwnResource() {
        Map<String, Map<String, String>> resources = spans.stream().collect(Collectors.toMap(ResourceSpan::service,
                s -> OtlpSink.attrs(s.resource().getAttributesList()), (a, b) -> a));
        assertThat(resources).containsOnlyKeys("shop", "inventory", "payments");
        resources.forEach((service, attrs) -> {
            assertThat(attrs).containsEntry("service.name", service)
                    .containsEntry("service.version", "9.9.9-test")
                    .containsEntry("deployment.environment.name", "test")
                    .containsEntry("service.namespace", "mantis-demo")
                    .containsEntry("telemetry.sdk.language", "java")
                    .containsKey("service.instance.id");
        });
        assertThat(resources.values().stream().map(a -> a.get("service.instance.id")).distinct()).hasSize(3);
        assertThat(spans).allSatisfy(s -> assertThat(s.scope()).isEqualTo("io.mantis.demo"));
        assertThat(sink.transports).containsOnly("grpc");
        assertThat(sink.tenants).as("configured headers go with every export").containsOnly("acme");
    }

    private Metric metric(String service, String name) {
        // The last export has the cumulative totals.
        List<ResourceMetric> found = metrics.stream().filter(m -> m.service().equals(service)
                && m.metric().getName().equals(name)).toList();
        assertThat(found).as(service + " metric " + name).isNotEmpty();
        return found.get(found.size() - 1).metric();
    }

    @Test
    void metricsCarryTheirNamesUnitsAndKinds() {
        Metric duration = metric("shop", "http.server.request.duration");
        assertThat(duration.getUnit()).isEqualTo("s");
        assertThat(duration.hasHistogram()).isTrue();
        assertThat(duration.getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        HistogramDataPoint p = duration.getHistogram().getDataPointsList().get(0);
        assertThat(p.getExplicitBoundsList()).containsExactly(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75,
                1.0, 2.5, 5.0, 7.5, 10.0);
        assertThat(duration.getHistogram().getDataPointsList()).anySatisfy(d -> assertThat(
                OtlpSink.attrs(d.getAttributesList())).containsEntry("http.route", "/api/orders")
                .containsEntry("http.response.status_code", "200").containsEntry("http.request.method", "GET"));

        Metric requests = metric("shop", "demo.requests");
        assertThat(requests.getUnit()).isEqualTo("{request}");
        assertThat(requests.getSum().getIsMonotonic()).isTrue();
        assertThat(requests.getSum().getDataPointsList()).anySatisfy(d -> {
            assertThat(OtlpSink.attrs(d.getAttributesList())).containsEntry("http.route", "/api/users/{id}")
                    .containsEntry("http.response.status_code", "404");
            assertThat(d.getAsInt()).isEqualTo(1);
        });

        Metric active = metric("shop", "http.server.active_requests");
        assertThat(active.getUnit()).isEqualTo("{request}");
        assertThat(active.getSum().getIsMonotonic()).isFalse();
        assertThat(active.getSum().getDataPointsList()).allSatisfy(d -> assertThat(d.getAsInt()).isZero());

        Metric orderValue = metric("shop", "demo.order.value");
        assertThat(orderValue.getUnit()).isEqualTo("{USD}");
        assertThat(orderValue.hasExponentialHistogram()).isTrue();
        assertThat(orderValue.getExponentialHistogram().getDataPoints(0).getCount()).isEqualTo(1);

        assertThat(metric("shop", "demo.users.stored").getGauge().getDataPoints(0).getAsInt()).isEqualTo(11);
        assertThat(metric("shop", "jvm.memory.used").getUnit()).isEqualTo("By");
        assertThat(metric("shop", "jvm.memory.used").getSum().getDataPointsList()).anySatisfy(d ->
                assertThat(OtlpSink.attrs(d.getAttributesList())).containsEntry("jvm.memory.type", "heap"));
        assertThat(metric("shop", "jvm.thread.count").getSum().getDataPoints(0).getAsInt()).isPositive();
        assertThat(metric("shop", "http.client.request.duration").getHistogram().getDataPointsList())
                .extracting(d -> OtlpSink.attr(d.getAttributesList(), "url.template"))
                .contains("/inventory/reserve", "/payments/charge");
        assertThat(metric("shop", "demo.orders").getSum().getDataPointsList()).anySatisfy(d ->
                assertThat(OtlpSink.attr(d.getAttributesList(), "demo.order.status")).isEqualTo("confirmed"));

        assertThat(metric("inventory", "inventory.stock").getUnit()).isEqualTo("{item}");
        assertThat(metric("inventory", "http.server.request.duration").getHistogram().getDataPointsList())
                .anySatisfy(d -> assertThat(OtlpSink.attr(d.getAttributesList(), "http.route"))
                        .isEqualTo("/inventory/reserve"));
        assertThat(metric("payments", "payments.charges").getSum().getDataPoints(0).getAsInt()).isEqualTo(1);
        assertThat(metric("payments", "payments.amount").getUnit()).isEqualTo("{USD}");
        assertThat(metrics.stream().map(ResourceMetric::service).distinct()).containsExactlyInAnyOrder("shop",
                "inventory", "payments");
    }

    /** Every export of a metric: exemplars are reported with the collection they were taken in only. */
    private List<Metric> allOf(String service, String name) {
        return metrics.stream().filter(m -> m.service().equals(service) && m.metric().getName().equals(name))
                .map(ResourceMetric::metric).toList();
    }

    @Test
    void exemplarsPointAtTheSpansThatWereMeasured() {
        Map<String, ResourceSpan> byId = spans.stream().collect(Collectors.toMap(ResourceSpan::spanId, s -> s));
        List<Exemplar> orderExemplars = allOf("shop", "http.server.request.duration").stream()
                .flatMap(m -> m.getHistogram().getDataPointsList().stream())
                .filter(d -> "/api/orders".equals(OtlpSink.attr(d.getAttributesList(), "http.route")))
                .flatMap(d -> d.getExemplarsList().stream()).toList();
        assertThat(orderExemplars).isNotEmpty();
        Exemplar e = orderExemplars.get(0);
        ResourceSpan measured = byId.get(OtlpSink.hex(e.getSpanId()));
        assertThat(measured).as("the exemplar's span was exported").isNotNull();
        assertThat(measured.traceId()).isEqualTo(OtlpSink.hex(e.getTraceId()));
        assertThat(measured.span().getName()).isEqualTo("GET /api/orders");

        List<Exemplar> errorExemplars = allOf("shop", "demo.requests").stream()
                .flatMap(m -> m.getSum().getDataPointsList().stream())
                .filter(d -> "/api/error".equals(OtlpSink.attr(d.getAttributesList(), "http.route")))
                .flatMap(d -> d.getExemplarsList().stream()).toList();
        assertThat(errorExemplars).isNotEmpty();
        assertThat(byId.get(OtlpSink.hex(errorExemplars.get(0).getSpanId())).span().getName())
                .isEqualTo("GET /api/error");

        List<Exemplar> valueExemplars = allOf("shop", "demo.order.value").stream()
                .flatMap(m -> m.getExponentialHistogram().getDataPointsList().stream())
                .flatMap(d -> d.getExemplarsList().stream()).toList();
        assertThat(valueExemplars).isNotEmpty().allSatisfy(x -> assertThat(byId.get(OtlpSink.hex(x.getSpanId())))
                .extracting(s -> s.span().getName()).isEqualTo("GET /api/orders"));
    }

    private ResourceLog log(String service, String bodyContains) {
        return logs.stream().filter(l -> l.service().equals(service)
                        && l.log().getBody().getStringValue().contains(bodyContains)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + service + " log containing '" + bodyContains
                        + "' in " + logs.stream().map(l -> l.log().getBody().getStringValue()).toList()));
    }

    @Test
    void logsCarryTheIdsOfTheSpansTheyWereWrittenIn() {
        ResourceLog notFound = log("shop", "user 9999 not found");
        ResourceSpan notFoundSpan = serverSpan("/api/users/{id}", 404);
        assertThat(notFound.traceId()).isEqualTo(notFoundSpan.traceId());
        assertThat(notFound.spanId()).isEqualTo(notFoundSpan.spanId());
        assertThat(notFound.log().getSeverityText()).isEqualTo("WARN");
        assertThat(notFound.log().getSeverityNumberValue()).isEqualTo(13);
        assertThat(notFound.attr("demo.user.id")).isEqualTo("9999");
        assertThat(notFound.scope()).isEqualTo("io.mantis.demo.app.shop");
        assertThat(notFound.attr("thread.name")).isNotNull();

        ResourceLog failed = log("shop", "GET /api/error failed");
        ResourceSpan errorSpan = serverSpan("/api/error", 500);
        assertThat(failed.spanId()).isEqualTo(errorSpan.spanId());
        assertThat(failed.log().getSeverityText()).isEqualTo("ERROR");
        assertThat(failed.attr("exception.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(failed.attr("exception.stacktrace")).contains("at io.mantis.demo.app.ShopService");

        ResourceLog rejected = log("shop", "rejected POST /api/users");
        assertThat(rejected.spanId()).isEqualTo(serverSpan("/api/users", 400).spanId());
        assertThat(rejected.attr("http.response.status_code")).isEqualTo("400");

        ResourceLog confirmed = log("shop", "confirmed");
        ResourceSpan order = one("shop", "GET /api/orders");
        assertThat(confirmed.spanId()).isEqualTo(order.spanId());
        assertThat(confirmed.log().getSeverityText()).isEqualTo("INFO");
        assertThat(confirmed.attr("demo.order.id")).startsWith("ord-");

        ResourceLog reserved = log("inventory", "reserved");
        assertThat(reserved.traceId()).as("the inventory's log is in the order's trace").isEqualTo(order.traceId());
        assertThat(reserved.spanId()).isEqualTo(one("inventory", "POST /inventory/reserve").spanId());
        assertThat(reserved.scope()).isEqualTo("io.mantis.demo.app.inventory");
        ResourceLog charged = log("payments", "charged");
        assertThat(charged.traceId()).isEqualTo(order.traceId());
        assertThat(charged.spanId()).isEqualTo(one("payments", "POST /payments/charge").spanId());
    }

    @Test
    void onlyTheDemosApplicationLogsAreExported() {
        assertThat(logs).isNotEmpty();
        assertThat(logs).allSatisfy(l -> assertThat(l.scope()).startsWith("io.mantis.demo.app."));
        assertThat(logs).noneMatch(l -> l.log().getBody().getStringValue().contains(MANTIS_OWN_LOG));
        assertThat(logs).noneMatch(l -> l.log().getBody().getStringValue().contains("demo app: shop on"));
        // Each service's logs went to its own SDK.
        assertThat(logs).allSatisfy(l -> assertThat(l.scope()).isEqualTo("io.mantis.demo.app." + l.service()));
    }

    @Test
    void theLogBridgesAreGoneAfterStop() {
        ch.qos.logback.classic.Logger shop = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                io.mantis.demo.app.ShopService.LOGGER);
        assertThat(shop.iteratorForAppenders().hasNext()).isFalse();
        assertThat(shop.isAdditive()).isTrue();
    }

    static String attr(List<KeyValue> attrs, String key) {
        return OtlpSink.attr(attrs, key);
    }
}
