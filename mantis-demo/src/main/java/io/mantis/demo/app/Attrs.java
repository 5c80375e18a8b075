package io.mantis.demo.app;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Attribute keys of the OpenTelemetry semantic conventions that the demo's instrumentation sets,
 * plus the demo's own ({@code demo.*}). Database spans carry both the current names
 * ({@code db.system.name}, {@code db.operation.name}) and the older ones ({@code db.system},
 * {@code db.operation}) that many dashboards and queries still use.
 */
final class Attrs {
    static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");

    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation");
    static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<Long> DB_RESPONSE_RETURNED_ROWS = AttributeKey.longKey("db.response.returned_rows");

    static final AttributeKey<String> JVM_MEMORY_TYPE = AttributeKey.stringKey("jvm.memory.type");
    static final AttributeKey<String> JVM_MEMORY_POOL = AttributeKey.stringKey("jvm.memory.pool.name");

    static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("demo.cache.hit");
    static final AttributeKey<String> SKU = AttributeKey.stringKey("demo.sku");
    static final AttributeKey<Long> QUANTITY = AttributeKey.longKey("demo.quantity");
    static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("demo.order.id");
    static final AttributeKey<String> ORDER_STATUS = AttributeKey.stringKey("demo.order.status");
    static final AttributeKey<String> PAYMENT_OUTCOME = AttributeKey.stringKey("demo.payment.outcome");
    static final AttributeKey<Long> USER_ID = AttributeKey.longKey("demo.user.id");
    static final AttributeKey<Double> RISK_SCORE = AttributeKey.doubleKey("demo.risk.score");

    private Attrs() {
    }
}
