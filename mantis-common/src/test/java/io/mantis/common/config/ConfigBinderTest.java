package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigBinderTest {

    enum Compression { NONE, GZIP, @ConfigKey("zstd-fast") ZSTD_FAST }

    record Tls(boolean enabled, Path certFile, List<String> protocols) {
    }

    record Server(Endpoint endpoint, Duration shutdownTimeout, DataSize maxRequestSize,
            int workerThreads, Tls tls) {
    }

    static final Server SERVER_DEFAULTS = new Server(Endpoint.parse(":8080"), Duration.ofSeconds(30),
            DataSize.ofMebibytes(4), 8, new Tls(false, Path.of("/etc/mantis/cert.pem"),
            List.of("TLSv1.3")));

    record Batch(int sendBatchSize, @ConfigKey("timeout_ms") long timeout,
            boolean httpURLEncoding) {
    }

    record AllTypes(String string, int anInt, Integer boxedInt, long aLong, Long boxedLong,
            double aDouble, Double boxedDouble, boolean aBoolean, Boolean boxedBoolean,
            Duration duration, DataSize size, Endpoint endpoint, Path path, Compression compression,
            List<Integer> ints, Map<String, Duration> timeouts, Tls nested, ConfigNode raw,
            List<Tls> nestedList, Map<String, Tls> nestedMap, List<List<String>> matrix) {
    }

    record Listener(@Required Endpoint endpoint, @Required String name, int backlog) {
    }

    record Range(int min, int max) {
        Range {
            if (min < 0) {
                throw new ConfigValueException("min", "must not be negative, got " + min);
            }
            if (min > max) {
                throw new ConfigValueException(null, "min (" + min + ") must not exceed max (" + max + ")");
            }
        }
    }

    record Retention(Range days, String policy) {
        Retention {
            if ("forever".equals(policy) && days != null) {
                throw new IllegalArgumentException("policy 'forever' cannot be combined with days");
            }
            if ("crash".equals(policy)) {
                throw new IllegalStateException("a bug in the record");
            }
        }
    }

    private static ConfigNode yaml(String text) {
        return ConfigLoader.parse(text, "mantis.yaml", Map.of());
    }

    private static List<String> problems(ConfigNode node, Class<? extends Record> type) {
        ConfigProblems problems = new ConfigProblems();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object result = ConfigBinder.bind(node, (Class) type, null, problems);
        assertThat(result).as("a binding with problems returns null").isNull();
        return problems.list().stream().map(ConfigProblem::toString).toList();
    }

    // ---- types ----

    @Test
    void bindsEverySupportedType() {
        ConfigNode root = yaml("""
        string: hello
        an_int: -42
        boxed_int: 0x1F
        a_long: 9223372036854775807
        boxed_long: 0o17
        a_double: 1.5e3
        boxed_double: .inf
        a_boolean: TRUE
        boxed_boolean: false
        duration: 1m30s
        size: 512MiB
        endpoint: "[::1]:4317"
        path: /var/lib/mantis
        compression: Zstd-Fast
        ints: [1, +2, 3]
        timeouts:
          write: 5s
          read: 200ms
        nested:
          enabled: true
          cert_file: cert.pem
          protocols: [TLSv1.2]
        raw:
          anything: [goes, here]
        nested_list:
          - enabled: true
          - {}
        nested_map:
          a: {enabled: true}
          b:
        matrix: [[a, b], [c]]
        """);
        AllTypes bound = ConfigBinder.bind(root, AllTypes.class, null);

        assertThat(bound.string()).isEqualTo("hello");
        assertThat(bound.anInt()).isEqualTo(-42);
        assertThat(bound.boxedInt()).isEqualTo(31);
        assertThat(bound.aLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(bound.boxedLong()).isEqualTo(15L);
        assertThat(bound.aDouble()).isEqualTo(1500.0);
        assertThat(bound.boxedDouble()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(bound.aBoolean()).isTrue();
        assertThat(bound.boxedBoolean()).isFalse();
        assertThat(bound.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(bound.size()).isEqualTo(DataSize.ofMebibytes(512));
        assertThat(bound.endpoint()).isEqualTo(new Endpoint("::1", 4317));
        assertThat(bound.path()).isEqualTo(Path.of("/var/lib/mantis"));
        assertThat(bound.compression()).isEqualTo(Compression.ZSTD_FAST);
        assertThat(bound.ints()).containsExactly(1, 2, 3);
        assertThat(bound.timeouts()).containsExactly(
                Map.entry("write", Duration.ofSeconds(5)), Map.entry("read", Duration.ofMillis(200)));
        assertThat(bound.nested()).isEqualTo(new Tls(true, Path.of("cert.pem"), List.of("TLSv1.2")));
        assertThat(bound.raw()).isSameAs(root.get("raw"));
        assertThat(bound.nestedList()).containsExactly(new Tls(true, null, null),
                new Tls(false, null, null));
        // "b:" with no value binds like an empty mapping.
        assertThat(bound.nestedMap()).containsExactly(Map.entry("a", new Tls(true, null, null)),
                Map.entry("b", new Tls(false, null, null)));
        assertThat(bound.matrix()).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void boundCollectionsAreImmutable() {
        AllTypes bound = ConfigBinder.bind(yaml("ints: [1]\ntimeouts: {a: 1s}\n"), AllTypes.class,
                null);
        assertThatThrownBy(() -> bound.ints().add(2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> bound.timeouts().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mapsKeepYamlOrder() {
        record Pipelines(Map<String, String> pipelines) {
        }
        Pipelines bound = ConfigBinder.bind(yaml("""
        pipelines:
          zeta: z
          alpha: a
          metrics/internal: m
          beta: b
        """), Pipelines.class, null);
        assertThat(bound.pipelines().keySet())
                .containsExactly("zeta", "alpha", "metrics/internal", "beta");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "none      | NONE",
            "GZIP      | GZIP",
            "gZiP      | GZIP",
            "zstd_fast | ZSTD_FAST",
            "ZSTD-FAST | ZSTD_FAST",
    })
    void enumsMatchNameOrConfigKeyIgnoringCase(String text, Compression expected) {
        record C(Compression compression) {
        }
        assertThat(ConfigBinder.bind(yaml("compression: " + text), C.class, null).compression())
                .isEqualTo(expected);
    }

    // ---- keys ----

    @Test
    void keysAreSnakeCaseUnlessConfigKeySaysOtherwise() {
        Batch bound = ConfigBinder.bind(yaml("""
        send_batch_size: 512
        timeout_ms: 200
        http_url_encoding: true
        """), Batch.class, null);
        assertThat(bound).isEqualTo(new Batch(512, 200, true));
        // The Java name is not a key.
        assertThat(problems(yaml("sendBatchSize: 1\n"), Batch.class)).containsExactly(
                "mantis.yaml:1:1: sendBatchSize: unknown key 'sendBatchSize' at the top level"
                        + " (expected one of: send_batch_size, timeout_ms, http_url_encoding);"
                        + " did you mean 'send_batch_size'?");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "port, port",
            "sendBatchSize, send_batch_size",
            "httpURL, http_url",
            "maxHTTPConns, max_http_conns",
            "http2Enabled, http2_enabled",
            "tlsV2, tls_v2",
            "aB, a_b",
            "URL, url",
    })
    void snakeCase(String name, String key) {
        assertThat(ConfigBinder.snakeCase(name)).isEqualTo(key);
    }

    // ---- defaults ----

    @Test
    void missingAndNullKeysTakeTheDefaults() {
        Server bound = ConfigBinder.bind(yaml("""
        server:
          worker_threads: 16
          shutdown_timeout: ~
        """).get("server"), Server.class, SERVER_DEFAULTS);
        assertThat(bound).isEqualTo(new Server(Endpoint.parse(":8080"), Duration.ofSeconds(30),
                DataSize.ofMebibytes(4), 16, SERVER_DEFAULTS.tls()));
    }

    @Test
    void nestedRecordsTakeTheirDefaultsFromTheParentDefault() {
        Server bound = ConfigBinder.bind(yaml("""
        tls:
          enabled: true
        """), Server.class, SERVER_DEFAULTS);
        assertThat(bound.tls()).isEqualTo(
                new Tls(true, Path.of("/etc/mantis/cert.pem"), List.of("TLSv1.3")));
        assertThat(bound.workerThreads()).isEqualTo(8);
    }

    @Test
    void withoutDefaultsMissingKeysAreNullOrZero() {
        Server bound = ConfigBinder.bind(yaml("worker_threads:\n"), Server.class, null);
        assertThat(bound).isEqualTo(new Server(null, null, null, 0, null));
        AllTypes all = ConfigBinder.bind(yaml("{}"), AllTypes.class, null);
        assertThat(all.aBoolean()).isFalse();
        assertThat(all.aDouble()).isZero();
        assertThat(all.aLong()).isZero();
        assertThat(all.boxedInt()).isNull();
    }

    @Test
    void nullOrAbsentSectionBindsToTheDefaults() {
        ConfigNode root = yaml("server:\n");
        assertThat(ConfigBinder.bind(root.get("server"), Server.class, SERVER_DEFAULTS))
                .isEqualTo(SERVER_DEFAULTS);
        assertThat(ConfigBinder.bind(root.getOrEmpty("absent"), Server.class, SERVER_DEFAULTS))
                .isEqualTo(SERVER_DEFAULTS);
        assertThat(ConfigBinder.bind(ConfigNode.emptyMapping("<built-in>", "server"), Server.class,
                SERVER_DEFAULTS)).isEqualTo(SERVER_DEFAULTS);
    }

    @Test
    void givenListsAndMapsReplaceTheDefaultsWhole() {
        Server bound = ConfigBinder.bind(yaml("tls:\n  protocols: [TLSv1.2]\n"), Server.class,
                SERVER_DEFAULTS);
        assertThat(bound.tls().protocols()).containsExactly("TLSv1.2");
    }

    // ---- required ----

    @Test
    void missingRequiredKeyIsReportedAtTheEnclosingMapping() {
        ConfigNode root = yaml("""
        listeners:
          grpc:
            backlog: 5
            name: ~
        """);
        assertThat(problems(root.get("listeners").get("grpc"), Listener.class)).containsExactly(
                "mantis.yaml:3:5: listeners.grpc.endpoint: missing required key 'endpoint'"
                        + " (expected an endpoint like host:port)",
                "mantis.yaml:3:5: listeners.grpc.name: missing required key 'name'"
                        + " (expected a string)");
    }

    @Test
    void requiredKeyCanBeSatisfiedByTheDefaults() {
        Listener defaults = new Listener(Endpoint.parse(":4317"), "otlp", 0);
        assertThat(ConfigBinder.bind(yaml("backlog: 3\n"), Listener.class, defaults))
                .isEqualTo(new Listener(Endpoint.parse(":4317"), "otlp", 3));
    }

    @Test
    void missingRequiredKeyInAnAbsentSectionNamesTheSection() {
        ConfigNode root = yaml("other: 1\n");
        assertThat(problems(root.getOrEmpty("listener"), Listener.class)).first().isEqualTo(
                "mantis.yaml:1:1: listener.endpoint: missing required key 'endpoint'"
                        + " (expected an endpoint like host:port)");
        assertThat(problems(ConfigNode.emptyMapping("<built-in>", "listener"), Listener.class))
                .first().isEqualTo("<built-in>: listener.endpoint: missing required key 'endpoint'"
                        + " (expected an endpoint like host:port)");
    }

    // ---- unknown keys ----

    @Test
    void unknownKeyIsReportedAtTheKeyWithASuggestion() {
        ConfigNode root = yaml("""
        server:
          worker_threads: 4
          shutdown_timout: 5s
        """);
        assertThat(problems(root.get("server"), Server.class)).containsExactly(
                "mantis.yaml:3:3: server.shutdown_timout: unknown key 'shutdown_timout' in 'server'"
                        + " (expected one of: endpoint, shutdown_timeout, max_request_size, worker_threads,"
                        + " tls); did you mean 'shutdown_timeout'?");
    }

    @Test
    void unknownKeyFarFromEveryExpectedKeyHasNoSuggestion() {
        ConfigNode root = yaml("server:\n  colour: blue\n");
        assertThat(problems(root.get("server"), Server.class)).containsExactly(
                "mantis.yaml:2:3: server.colour: unknown key 'colour' in 'server' (expected one of:"
                        + " endpoint, shutdown_timeout, max_request_size, worker_threads, tls)");
    }

    @Test
    void suggestionsCoverTyposTranspositionsAndOtherCasings() {
        List<String> keys = List.of("send_batch_size", "timeout", "endpoint");
        assertThat(ConfigBinder.suggest("timeuot", keys)).isEqualTo("timeout");
        assertThat(ConfigBinder.suggest("endpont", keys)).isEqualTo("endpoint");
        assertThat(ConfigBinder.suggest("send-batch-size", keys)).isEqualTo("send_batch_size");
        assertThat(ConfigBinder.suggest("SendBatchSize", keys)).isEqualTo("send_batch_size");
        assertThat(ConfigBinder.suggest("timeoutsss", keys)).isNull();
        assertThat(ConfigBinder.suggest("queue", keys)).isNull();
    }

    @Test
    void unknownKeysDeepInsideNestedRecordsHaveFullPaths() {
        ConfigNode root = yaml("""
        server:
          tls:
            enabled: true
            cert: x
        """);
        assertThat(problems(root.get("server"), Server.class)).containsExactly(
                "mantis.yaml:4:5: server.tls.cert: unknown key 'cert' in 'server.tls' (expected one of:"
                        + " enabled, cert_file, protocols)");
    }

    // ---- wrong types ----

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "string        | {a: 1}      | expected a string, got a mapping",
            "string        | [a]         | expected a string, got a list",
            "an_int        | 3.5         | expected an integer, got '3.5'",
            "an_int        | 2147483648  | expected an integer between -2147483648 and 2147483647, got '2147483648'",
            "an_int        | 1_000       | expected an integer, got '1_000'",
            "an_int        | \"''\"      | expected an integer, got ''",
            "a_long        | 9223372036854775808 | expected an integer between -9223372036854775808 and 9223372036854775807, got '9223372036854775808'",
            "boxed_int     | ten         | expected an integer, got 'ten'",
            "a_double      | 1,5         | expected a number, got '1,5'",
            "a_double      | 0x1p3       | expected a number, got '0x1p3'",
            "a_boolean     | yes         | expected true or false, got 'yes' (YAML 1.2 reads yes/no/on/off as strings, not booleans)",
            "boxed_boolean | On          | expected true or false, got 'On' (YAML 1.2 reads yes/no/on/off as strings, not booleans)",
            "a_boolean     | 1           | expected true or false, got '1'",
            "duration      | abc         | expected a duration like 30s, got 'abc'",
            "duration      | 30          | expected a duration like 30s, got '30' (missing unit: use ns, us, ms, s, m, h, d, w or y)",
            "size          | 512         | expected a size like 512MiB, got '512' (missing unit: use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB)",
            "endpoint      | localhost   | expected an endpoint like host:port, got 'localhost' (missing port)",
            "endpoint      | :99999      | expected an endpoint like host:port, got ':99999' (port 99999 is out of range (expected 1-65535, or 0 for any free port))",
            "path          | \"''\"      | expected a file path, got ''",
            "compression   | lz4         | expected one of [none, gzip, zstd-fast], got 'lz4'",
            "ints          | 5           | expected a list of integers, got a string",
            "ints          | {a: 1}      | expected a list of integers, got a mapping",
            "timeouts      | [1s]        | expected a mapping of names to durations like 30s, got a list",
            "nested        | on          | expected a mapping with keys enabled, cert_file, protocols, got a string",
            "nested_list   | {}          | expected a list of mappings with keys enabled, cert_file, protocols, got a mapping",
    })
    void wrongTypeIsReportedAtTheValue(String key, String value, String message) {
        ConfigNode root = yaml("all:\n  " + key + ": " + value + "\n");
        int column = 2 + key.length() + 2 + 1;
        assertThat(problems(root.get("all"), AllTypes.class))
                .containsExactly("mantis.yaml:2:" + column + ": all." + key + ": " + message);
    }

    @Test
    void wrongElementsAreReportedWithTheirIndexOrKey() {
        ConfigNode root = yaml("""
        ints: [1, two, 3, 4.0]
        timeouts:
          read: 1s
          write: soon
        nested_list:
          - enabled: maybe
        matrix: [[a], [[b]]]
        """);
        assertThat(problems(root, AllTypes.class)).containsExactly(
                "mantis.yaml:1:11: ints[1]: expected an integer, got 'two'",
                "mantis.yaml:1:19: ints[3]: expected an integer, got '4.0'",
                "mantis.yaml:4:10: timeouts.write: expected a duration like 30s, got 'soon'",
                "mantis.yaml:6:14: nested_list[0].enabled: expected true or false, got 'maybe'",
                "mantis.yaml:7:16: matrix[1][0]: expected a string, got a list");
    }

    @Test
    void nullElementOfAScalarListIsAProblem() {
        ConfigNode root = yaml("ints:\n  - 1\n  - ~\n");
        assertThat(problems(root, AllTypes.class))
                .containsExactly("mantis.yaml:3:5: ints[1]: expected an integer, got null");
    }

    @Test
    void wholeDocumentOfTheWrongKindIsAProblem() {
        ConfigNode root = yaml("server: [1, 2]\n");
        assertThat(problems(root.get("server"), Batch.class)).containsExactly(
                "mantis.yaml:1:9: server: expected a mapping with keys send_batch_size, timeout_ms,"
                        + " http_url_encoding, got a list");
    }

    // ---- constructor validation ----

    @Test
    void constructorValidationIsReportedAtTheKeysValue() {
        record Limits(Range range) {
        }
        ConfigNode root = yaml("""
        limits:
          range:
            max: 10
            min: -1
        """);
        assertThat(problems(root.get("limits"), Limits.class)).containsExactly(
                "mantis.yaml:4:10: limits.range.min: must not be negative, got -1");
    }

    @Test
    void constructorValidationOfAKeyFromTheDefaultsIsReportedAtTheRecord() {
        // "from" is not in the YAML (it comes from the defaults) but fails against the given "to":
        // the problem is located at the record's mapping and still names the key's full path.
        record Window(int from, int to) {
            Window {
                if (to < from) {
                    throw new ConfigValueException("from", "must not be after 'to' (" + to + ")");
                }
            }
        }
        ConfigProblems problems = new ConfigProblems();
        assertThat(ConfigBinder.bind(yaml("window:\n  to: 3\n").get("window"), Window.class,
                new Window(5, 10), problems)).isNull();
        assertThat(problems.list()).extracting(ConfigProblem::toString).containsExactly(
                "mantis.yaml:2:3: window.from: must not be after 'to' (3)");
    }

    @Test
    void constructorValidationOfTheWholeRecordIsReportedAtTheRecord() {
        ConfigNode root = yaml("""
        range:
          min: 5
          max: 1
        """);
        assertThat(problems(root.get("range"), Range.class)).containsExactly(
                "mantis.yaml:2:3: range: min (5) must not exceed max (1)");
    }

    @Test
    void otherIllegalArgumentExceptionsAreReportedAtTheRecord() {
        ConfigNode root = yaml("""
        retention:
          policy: forever
          days: {min: 1, max: 2}
        """);
        assertThat(problems(root.get("retention"), Retention.class)).containsExactly(
                "mantis.yaml:2:3: retention: policy 'forever' cannot be combined with days");
    }

    @Test
    void otherExceptionsFromTheConstructorAreBugsAndPropagate() {
        assertThatThrownBy(() -> ConfigBinder.bind(yaml("policy: crash\n"), Retention.class, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a bug in the record");
    }

    @Test
    void constructorIsNotCalledWhenAnyComponentFailed() {
        // max is invalid, so Range's own min > max check must not run on a half-bound record.
        ConfigNode root = yaml("min: 5\nmax: lots\n");
        assertThat(problems(root, Range.class))
                .containsExactly("mantis.yaml:2:6: max: expected an integer, got 'lots'");
    }

    // ---- deferred binding ----

    @Test
    void rawSubtreesBindLaterWithTheirFullPaths() {
        record Collector(Map<String, ConfigNode> receivers) {
        }
        record OtlpReceiver(@Required Endpoint endpoint, Duration keepalive) {
        }
        ConfigNode root = yaml("""
        collector:
          receivers:
            otlp:
              endpoint: localhost
            otlp/2:
              endpoint: :4318
        """);
        Collector collector = ConfigBinder.bind(root.get("collector"), Collector.class, null);
        assertThat(collector.receivers().keySet()).containsExactly("otlp", "otlp/2");

        ConfigProblems problems = new ConfigProblems();
        OtlpReceiver first = ConfigBinder.bind(collector.receivers().get("otlp"), OtlpReceiver.class,
                null, problems);
        OtlpReceiver second = ConfigBinder.bind(collector.receivers().get("otlp/2"),
                OtlpReceiver.class, null, problems);
        assertThat(first).isNull();
        assertThat(second).isEqualTo(new OtlpReceiver(new Endpoint("", 4318), null));
        assertThat(problems.list()).extracting(ConfigProblem::toString).containsExactly(
                "mantis.yaml:4:17: collector.receivers.otlp.endpoint: expected an endpoint like"
                        + " host:port, got 'localhost' (missing port)");
    }

    // ---- all problems at once ----

    @Test
    void everyProblemInAFileIsReportedAtOnce(@TempDir Path dir) throws Exception {
        record Metrics(Duration retention, DataSize cacheSize) {
        }
        record Mantis(Server server, Metrics metrics, Listener listener) {
        }
        Path file = dir.resolve("mantis.yaml");
        Files.writeString(file, """
        server:
          endpoint: :8080
          shutdown_timeout: abc
        metrics:
          retention: 15days
          cache_sise: 1GiB
        listener:
          name: grpc
        """);
        ConfigNode root = ConfigLoader.load(file, Map.of());

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigBinder.bind(root, Mantis.class, null));

        String nl = System.lineSeparator();
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(file + " has 4 configuration problems:" + nl
                + "  " + file + ":3:21: server.shutdown_timeout: expected a duration like 30s,"
                + " got 'abc'" + nl
                + "  " + file + ":5:14: metrics.retention: expected a duration like 30s, got '15days'"
                + " (unknown unit 'days': use ns, us, ms, s, m, h, d, w or y)" + nl
                + "  " + file + ":6:3: metrics.cache_sise: unknown key 'cache_sise' in 'metrics'"
                + " (expected one of: retention, cache_size); did you mean 'cache_size'?" + nl
                + "  " + file + ":8:3: listener.endpoint: missing required key 'endpoint'"
                + " (expected an endpoint like host:port)");
    }

    @Test
    void severalSectionsShareOneAccumulator() {
        ConfigNode root = yaml("""
        a:
          min: 1
          max: 2
        b:
          min: x
        c:
          send_batch_size: 1.5
          timeout_ms: forever
        """);
        ConfigProblems problems = new ConfigProblems();
        Range a = ConfigBinder.bind(root.get("a"), Range.class, null, problems);
        Range b = ConfigBinder.bind(root.get("b"), Range.class, null, problems);
        Batch c = ConfigBinder.bind(root.get("c"), Batch.class, null, problems);
        assertThat(a).isEqualTo(new Range(1, 2));
        assertThat(b).isNull();
        assertThat(c).isNull();
        assertThat(problems.list()).extracting(ConfigProblem::path)
                .containsExactly("b.min", "c.send_batch_size", "c.timeout_ms");
        assertThatThrownBy(problems::throwIfAny)
                .hasMessageStartingWith("mantis.yaml has 3 configuration problems:");
    }

    // ---- types the binder cannot handle ----

    @Test
    void unsupportedComponentTypesAreProgrammingErrorsReportedUpFront() {
        record WithSet(Set<String> names) {
        }
        record WithRawList(@SuppressWarnings("rawtypes") List names) {
        }
        record WithIntKeys(Map<Integer, String> byId) {
        }
        record Inner(Object anything) {
        }
        record Outer(List<Inner> inners) {
        }
        ConfigNode empty = yaml("{}");
        assertThatThrownBy(() -> ConfigBinder.bind(empty, WithSet.class, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ConfigBinder cannot bind java.util.Set<java.lang.String> (in ");
        assertThatThrownBy(() -> ConfigBinder.bind(empty, WithRawList.class, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigBinder.bind(empty, WithIntKeys.class, null))
                .isInstanceOf(IllegalArgumentException.class);
        // Even though no key is present, the nested unsupported type is found.
        assertThatThrownBy(() -> ConfigBinder.bind(empty, Outer.class, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Inner.anything");
    }

    @Test
    void recursiveRecordTypesAreSupported() {
        record Tree(String name, List<Tree> children) {
        }
        Tree tree = ConfigBinder.bind(yaml("""
        name: root
        children:
          - name: leaf
        """), Tree.class, null);
        assertThat(tree).isEqualTo(new Tree("root", List.of(new Tree("leaf", null))));
    }

    // ---- describe ----

    @Test
    void describeNamesWhatYamlShouldLookLike() throws Exception {
        assertThat(ConfigBinder.describe(String.class)).isEqualTo("a string");
        assertThat(ConfigBinder.describe(int.class)).isEqualTo("an integer");
        assertThat(ConfigBinder.describe(Long.class)).isEqualTo("an integer");
        assertThat(ConfigBinder.describe(double.class)).isEqualTo("a number");
        assertThat(ConfigBinder.describe(boolean.class)).isEqualTo("true or false");
        assertThat(ConfigBinder.describe(Duration.class)).isEqualTo("a duration like 30s");
        assertThat(ConfigBinder.describe(DataSize.class)).isEqualTo("a size like 512MiB");
        assertThat(ConfigBinder.describe(Endpoint.class)).isEqualTo("an endpoint like host:port");
        assertThat(ConfigBinder.describe(Compression.class))
                .isEqualTo("one of [none, gzip, zstd-fast]");
        assertThat(ConfigBinder.describe(Tls.class))
                .isEqualTo("a mapping with keys enabled, cert_file, protocols");
        var components = AllTypes.class.getRecordComponents();
        assertThat(ConfigBinder.describe(components[14].getGenericType()))
                .isEqualTo("a list of integers");
        assertThat(ConfigBinder.describe(components[15].getGenericType()))
                .isEqualTo("a mapping of names to durations like 30s");
        assertThat(ConfigBinder.describe(components[20].getGenericType()))
                .isEqualTo("a list of lists of strings");
    }
}
