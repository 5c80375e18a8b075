package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static ConfigNode parse(String yaml) {
        return ConfigLoader.parse(yaml, "mantis.yaml", Map.of());
    }

    private static ConfigException parseError(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void nodesKnowTheirKindLocationAndPath() {
        ConfigNode root = parse("""
        collector:
          service:
            pipelines:
              traces:
                receivers: [otlp, zipkin]
                exporters:
                  - mantis
        server:
          port: 8080
        """);

        assertThat(root.isMapping()).isTrue();
        assertThat(root.path()).isEmpty();
        assertThat(root.keys()).containsExactly("collector", "server");

        ConfigNode receivers = root.get("collector").get("service").get("pipelines").get("traces")
                .get("receivers");
        assertThat(receivers.kind()).isEqualTo(ConfigNode.Kind.SEQUENCE);
        assertThat(receivers.location()).isEqualTo("mantis.yaml:5:20");
        ConfigNode zipkin = receivers.elements().get(1);
        assertThat(zipkin.scalar()).isEqualTo("zipkin");
        assertThat(zipkin.path()).isEqualTo("collector.service.pipelines.traces.receivers[1]");
        assertThat(zipkin.line()).isEqualTo(5);
        assertThat(zipkin.column()).isEqualTo(27);

        ConfigNode mantis = root.get("collector").get("service").get("pipelines").get("traces")
                .get("exporters").elements().get(0);
        assertThat(mantis.location()).isEqualTo("mantis.yaml:7:13");
        assertThat(mantis.path()).isEqualTo("collector.service.pipelines.traces.exporters[0]");

        ConfigNode port = root.get("server").get("port");
        assertThat(port.isScalar()).isTrue();
        assertThat(port.scalar()).isEqualTo("8080");
        assertThat(port.source()).isEqualTo("mantis.yaml");
        assertThat(port.location()).isEqualTo("mantis.yaml:9:9");
        assertThat(port.path()).isEqualTo("server.port");
    }

    @Test
    void keysKeepTheirOwnLocationAndOrder() {
        ConfigNode root = parse("""
        server:
          zeta: 1
          alpha: 2
          mid: 3
        """);
        ConfigNode server = root.get("server");
        assertThat(server.keys()).containsExactly("zeta", "alpha", "mid");
        assertThat(server.entries()).extracting(ConfigNode.Entry::key)
                .containsExactly("zeta", "alpha", "mid");
        ConfigNode alphaKey = server.keyNode("alpha");
        assertThat(alphaKey.location()).isEqualTo("mantis.yaml:3:3");
        assertThat(alphaKey.path()).isEqualTo("server.alpha");
        assertThat(server.get("alpha").location()).isEqualTo("mantis.yaml:3:10");
        assertThat(server.get("absent")).isNull();
        assertThat(server.keyNode("absent")).isNull();
    }

    @Test
    void plainNullsAreNullButQuotedOnesAreStrings() {
        ConfigNode root = parse("""
        empty:
        tilde: ~
        word: null
        capital: NULL
        quoted: "null"
        single: ''
        """);
        assertThat(root.get("empty").isNull()).isTrue();
        assertThat(root.get("tilde").isNull()).isTrue();
        assertThat(root.get("word").isNull()).isTrue();
        assertThat(root.get("capital").isNull()).isTrue();
        assertThat(root.get("quoted").isNull()).isFalse();
        assertThat(root.get("quoted").scalar()).isEqualTo("null");
        assertThat(root.get("single").isNull()).isFalse();
        assertThat(root.get("single").scalar()).isEmpty();
    }

    @Test
    void scalarsStayStringsWhateverTheyLookLike() {
        ConfigNode root = parse("""
        int: 42
        bool: true
        float: 1.5
        """);
        assertThat(root.get("int").scalar()).isEqualTo("42");
        assertThat(root.get("bool").scalar()).isEqualTo("true");
        assertThat(root.get("float").scalar()).isEqualTo("1.5");
    }

    @Test
    void scalarsKeepTheTypeYamlGaveThemAsWritten() {
        ConfigNode root = parse("""
        int: 42
        hex: 0x1F
        float: 1.5
        inf: .inf
        bool: true
        word: hello
        quoted_int: "42"
        single_bool: 'true'
        tagged: !!str 7
        env: ${env:NUMBER:-3}
        nothing: ~
        """);
        assertThat(root.get("int").scalarType()).isEqualTo(ConfigNode.ScalarType.INT);
        assertThat(root.get("hex").scalarType()).isEqualTo(ConfigNode.ScalarType.INT);
        assertThat(root.get("float").scalarType()).isEqualTo(ConfigNode.ScalarType.FLOAT);
        assertThat(root.get("inf").scalarType()).isEqualTo(ConfigNode.ScalarType.FLOAT);
        assertThat(root.get("bool").scalarType()).isEqualTo(ConfigNode.ScalarType.BOOL);
        assertThat(root.get("word").scalarType()).isEqualTo(ConfigNode.ScalarType.STRING);
        assertThat(root.get("quoted_int").scalarType()).isEqualTo(ConfigNode.ScalarType.STRING);
        assertThat(root.get("single_bool").scalarType()).isEqualTo(ConfigNode.ScalarType.STRING);
        assertThat(root.get("tagged").scalarType()).isEqualTo(ConfigNode.ScalarType.STRING);
        assertThat(root.get("env").scalarType()).isEqualTo(ConfigNode.ScalarType.STRING);
        assertThat(root.get("env").scalar()).isEqualTo("3");
        assertThat(root.get("nothing").scalarType()).isEqualTo(ConfigNode.ScalarType.NULL);
        assertThatThrownBy(() -> root.scalarType()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyAndCommentOnlyDocumentsAreEmptyMappings() {
        for (String text : new String[] {"", "# only a comment\n", "~\n", "---\n"}) {
            ConfigNode root = parse(text);
            assertThat(root.isMapping()).as("document %s", text).isTrue();
            assertThat(root.keys()).isEmpty();
            assertThat(root.source()).isEqualTo("mantis.yaml");
        }
    }

    @Test
    void topLevelMustBeAMapping() {
        ConfigException e = parseError("- a\n- b\n");
        assertThat(e.problems()).singleElement().hasToString(
                "mantis.yaml:1:1: the top level of a configuration file must be a mapping, got a list");
    }

    @Test
    void syntaxErrorNamesFileLineColumnAndProblem() {
        ConfigException e = parseError("""
        server:
          port: 8080
         host: x
        """);
        assertThat(e.problems()).hasSize(1);
        ConfigProblem p = e.problems().get(0);
        assertThat(p.source()).isEqualTo("mantis.yaml");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.column()).isEqualTo(2);
        assertThat(p.message()).startsWith("YAML syntax error: expected <block end>, but found");
        assertThat(e.getMessage()).contains("mantis.yaml:3:2: YAML syntax error:");
    }

    @Test
    void tabIndentationIsASyntaxErrorAtTheTab() {
        ConfigException e = parseError("server:\n\tport: 1\n");
        ConfigProblem p = e.problems().get(0);
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(1);
        assertThat(p.message()).startsWith("YAML syntax error:").containsIgnoringCase("tab");
    }

    @Test
    void duplicateKeyNamesBothLines() {
        ConfigException e = parseError("""
        server:
          port: 1
          host: a
          port: 2
        """);
        assertThat(e.problems()).singleElement().hasToString(
                "mantis.yaml:4:3: server.port: duplicate key 'port' in 'server' (first defined at line 2)");
    }

    @Test
    void allDuplicateKeysAreReportedTogether() {
        ConfigException e = parseError("""
        a: 1
        a: 2
        b:
          c: 1
          c: 2
        """);
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "mantis.yaml:2:1: a: duplicate key 'a' at the top level (first defined at line 1)",
                "mantis.yaml:5:3: b.c: duplicate key 'c' in 'b' (first defined at line 4)");
        assertThat(e.getMessage()).startsWith("mantis.yaml has 2 configuration problems:");
    }

    @Test
    void aliasesAreResolvedWithPathsOfWhereTheyAreUsed() {
        ConfigNode root = parse("""
        defaults: &tls
          cert: /etc/cert.pem
        a:
          tls: *tls
        b:
          tls: *tls
        """);
        ConfigNode cert = root.get("b").get("tls").get("cert");
        assertThat(cert.scalar()).isEqualTo("/etc/cert.pem");
        assertThat(cert.path()).isEqualTo("b.tls.cert");
        // The location is where the text is, which is the anchor's definition.
        assertThat(cert.location()).isEqualTo("mantis.yaml:2:9");
    }

    @Test
    void mergeKeysBringInEntriesButExplicitKeysWin() {
        ConfigNode root = parse("""
        base: &base
          timeout: 5s
          retries: 3
        exporter:
          retries: 10
          <<: *base
          endpoint: x:1
        """);
        ConfigNode exporter = root.get("exporter");
        // Merged entries come after the explicit ones.
        assertThat(exporter.keys()).containsExactly("retries", "endpoint", "timeout");
        assertThat(exporter.get("retries").scalar()).isEqualTo("10");
        assertThat(exporter.get("timeout").scalar()).isEqualTo("5s");
        assertThat(exporter.get("timeout").path()).isEqualTo("exporter.timeout");
    }

    @Test
    void mergeKeyOfAScalarIsAProblem() {
        ConfigException e = parseError("""
        a:
          <<: 5
        """);
        assertThat(e.problems()).singleElement()
                .satisfies(p -> assertThat(p.source()).isEqualTo("mantis.yaml"))
                .extracting(ConfigProblem::message).asString()
                .contains("Expected mapping node or an anchor referencing mapping");
    }

    @Test
    void aliasExpansionIsCapped() {
        // "Billion laughs": each level doubles the expansion; 30 levels would be 2^30 nodes.
        StringBuilder yaml = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 30; i++) {
            yaml.append("l").append(i).append(": &l").append(i)
                    .append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        ConfigException e = parseError(yaml.toString());
        assertThat(e.problems()).singleElement()
                .extracting(ConfigProblem::message).asString()
                .startsWith("document too large");
    }

    @Test
    void duplicateKeysAreFoundNextToMergeKeysToo() {
        ConfigException e = parseError("""
        base: &base {a: 1}
        m:
          x: 1
          <<: *base
          x: 2
        """);
        assertThat(e.problems()).singleElement().hasToString(
                "mantis.yaml:5:3: m.x: duplicate key 'x' in 'm' (first defined at line 3)");
    }

    @Test
    void oversizedDocumentIsRejected() {
        String huge = "a: " + "x".repeat(5 * 1024 * 1024) + "\n";
        ConfigException e = parseError(huge);
        assertThat(e.problems()).singleElement()
                .satisfies(p -> assertThat(p.line()).isZero())
                .extracting(ConfigProblem::message).asString()
                .startsWith("invalid YAML:").contains("exceeds the limit");
    }

    @Test
    void deepNestingIsAProblemNotAStackOverflow() {
        ConfigException e = parseError("a: " + "[".repeat(300) + "]".repeat(300) + "\n");
        assertThat(e.problems()).singleElement()
                .extracting(ConfigProblem::message).asString()
                .isEqualTo("document nested more than 200 levels deep");
    }

    @Test
    void recursiveAliasIsAProblemNotAStackOverflow() {
        ConfigException e = parseError("a: &a\n  b: *a\n");
        assertThat(e.getMessage()).contains("recursive alias");
    }

    @Test
    void secondDocumentIsRejected() {
        ConfigException e = parseError("a: 1\n---\nb: 2\n");
        assertThat(e.problems().get(0).line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("expected a single document");
    }

    @Test
    void loadUsesThePathAsGivenAsSource(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mantis.yaml");
        Files.writeString(file, "server:\n  port: ${env:PORT}\n");
        ConfigNode root = ConfigLoader.load(file, Map.of("PORT", "9090"));
        ConfigNode port = root.get("server").get("port");
        assertThat(port.scalar()).isEqualTo("9090");
        assertThat(port.source()).isEqualTo(file.toString());
        assertThat(port.location()).isEqualTo(file + ":2:9");
    }

    @Test
    void loadToleratesAByteOrderMark(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, "\uFEFFa: 1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigLoader.load(file, Map.of()).get("a").location()).endsWith("bom.yaml:1:4");
    }

    @Test
    void missingFileIsAConfigProblem(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + " has 1 configuration problem:" + System.lineSeparator()
                        + "  " + file + ": configuration file not found");
    }

    @Test
    void invalidUtf8IsAConfigProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void accessorsRejectTheWrongKind() {
        ConfigNode root = parse("a: 1\nb: [1]\n");
        assertThatThrownBy(() -> root.get("a").get("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'a' at mantis.yaml:1:4 is a string");
        assertThatThrownBy(() -> root.get("b").scalar()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> root.elements()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void getOrEmptyGivesAnEmptyMappingAtTheChildPath() {
        ConfigNode root = parse("server:\nother: {}\n");
        ConfigNode absent = root.getOrEmpty("metrics");
        assertThat(absent.isMapping()).isTrue();
        assertThat(absent.path()).isEqualTo("metrics");
        ConfigNode nullSection = root.getOrEmpty("server");
        assertThat(nullSection.isMapping()).isTrue();
        assertThat(nullSection.path()).isEqualTo("server");

        ConfigNode builtIn = ConfigNode.emptyMapping("<built-in>", "server");
        assertThat(builtIn.location()).isEqualTo("<built-in>");
        assertThat(builtIn.path()).isEqualTo("server");
        assertThat(builtIn.keys()).isEmpty();
    }
}
