package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Environment references, exercised through the loader so that locations are checked too. */
class EnvSubstitutionTest {

    private static final Map<String, String> ENV = Map.of(
            "HOST", "collector.local",
            "PORT", "4317",
            "EMPTY", "",
            "WITH_DOLLAR", "a$b");

    private static String value(String yamlValue) {
        return ConfigLoader.parse("v: " + yamlValue + "\n", "mantis.yaml", ENV).get("v").scalar();
    }

    private static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, "mantis.yaml", ENV));
        assertThat(e).as("expected a ConfigException for %s", yaml).isNotNull();
        return e;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "${env:HOST}                     | collector.local",
            "${HOST}                         | collector.local",
            "${env:HOST}:${env:PORT}         | collector.local:4317",
            "http://${env:HOST}:${PORT}/v1   | http://collector.local:4317/v1",
            "${env:UNSET:-fallback}          | fallback",
            "${UNSET:-fallback}              | fallback",
            "${env:EMPTY:-fallback}          | fallback",
            "${env:PORT:-1}                  | 4317",
            "${env:UNSET:-}                  | ''",
            "${env:UNSET:-a:b-c}             | a:b-c",
            "${env:EMPTY}                    | ''",
            "price$$5                        | price$5",
            "$${env:HOST}                    | ${env:HOST}",
            "$$$${HOST}                      | $${HOST}",
            "$$${HOST}                       | $collector.local",
            "a$b                             | a$b",
            "trailing$                       | trailing$",
            "${env:WITH_DOLLAR}              | a$b",
            "\"${env:HOST}\"                 | collector.local",
            "'${env:HOST}'                   | collector.local",
    })
    void substitutes(String yamlValue, String expected) {
        assertThat(value(yamlValue.strip())).isEqualTo(expected.equals("''") ? "" : expected);
    }

    @Test
    void substitutedValueIsNotReparsedAsYaml() {
        Map<String, String> env = Map.of("V", "{a: 1}", "N", "null");
        ConfigNode root = ConfigLoader.parse("v: ${env:V}\nn: ${env:N}\n", "mantis.yaml", env);
        assertThat(root.get("v").isScalar()).isTrue();
        assertThat(root.get("v").scalar()).isEqualTo("{a: 1}");
        assertThat(root.get("n").isNull()).isFalse();
        assertThat(root.get("n").scalar()).isEqualTo("null");
    }

    @Test
    void wholeValueReferenceStaysAStringAndBindsToAnInt() {
        record Server(String host, int port) {
        }
        ConfigNode root = ConfigLoader.parse("host: ${env:HOST}\nport: ${env:PORT}\n",
                "mantis.yaml", ENV);
        assertThat(root.get("port").scalar()).isEqualTo("4317");
        assertThat(ConfigBinder.bind(root, Server.class, null))
                .isEqualTo(new Server("collector.local", 4317));
    }

    @Test
    void keysAreNotSubstituted() {
        ConfigNode root = ConfigLoader.parse("${env:HOST}: 1\n", "mantis.yaml", ENV);
        assertThat(root.keys()).containsExactly("${env:HOST}");
    }

    @Test
    void commentsAreNotSubstituted() {
        ConfigNode root = ConfigLoader.parse("a: 1 # ${env:UNSET}\n", "mantis.yaml", ENV);
        assertThat(root.get("a").scalar()).isEqualTo("1");
    }

    @Test
    void unsetVariableIsAnErrorNamingItAndWhereItIsUsed() {
        ConfigException e = error("""
        exporters:
          otlp:
            endpoint: ${env:OTLP_ENDPOINT}
        """);
        assertThat(e.problems()).singleElement().hasToString(
                "mantis.yaml:3:15: exporters.otlp.endpoint: environment variable 'OTLP_ENDPOINT' is not"
                        + " set (referenced as ${env:OTLP_ENDPOINT}; set it, or give a default:"
                        + " ${env:OTLP_ENDPOINT:-value})");
    }

    @Test
    void unsetShorthandVariableIsAnError() {
        ConfigException e = error("a:\n  - ${MISSING}\n");
        ConfigProblem p = e.problems().get(0);
        assertThat(p.path()).isEqualTo("a[0]");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(5);
        assertThat(p.message()).startsWith("environment variable 'MISSING' is not set");
    }

    @Test
    void emptyVariableIsNotAnErrorEvenWithoutDefault() {
        assertThat(value("x${env:EMPTY}y")).isEqualTo("xy");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "${env:}            | malformed reference '${env:}': empty variable name",
            "${}                | malformed reference '${}': empty variable name",
            "${:-x}             | malformed reference '${:-x}': empty variable name",
            "${env:1ABC}        | malformed reference '${env:1ABC}': '1ABC' is not a valid environment variable name",
            "${env:A B}         | malformed reference '${env:A B}': 'A B' is not a valid environment variable name",
            "${env:A:B}         | malformed reference '${env:A:B}': write ${env:NAME} or ${env:NAME:-default}",
            "${file:/etc/x}     | unsupported reference '${file:/etc/x}': only ${env:NAME} and ${NAME} are supported",
            "${env:HOST         | unterminated reference '${env:HOST' (missing '}'; write $$ for a literal $)",
            "x-${env:A:-${B}}   | malformed reference '${env:A:-${B}': nested references are not supported in defaults",
    })
    void malformedReferencesAreErrors(String yamlValue, String message) {
        ConfigException e = error("key: \"" + yamlValue.strip() + "\"\n");
        assertThat(e.problems()).singleElement().hasToString("mantis.yaml:1:6: key: " + message);
    }

    @Test
    void everyBadReferenceInTheDocumentIsReported() {
        ConfigException e = error("""
        a: ${env:ONE}
        b:
          c: ${env:TWO} and ${env:THREE}
        d: ${env:}
        """);
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "mantis.yaml:1:4: a: environment variable 'ONE' is not set (referenced as ${env:ONE};"
                        + " set it, or give a default: ${env:ONE:-value})",
                "mantis.yaml:3:6: b.c: environment variable 'TWO' is not set (referenced as ${env:TWO};"
                        + " set it, or give a default: ${env:TWO:-value})",
                "mantis.yaml:3:6: b.c: environment variable 'THREE' is not set (referenced as"
                        + " ${env:THREE}; set it, or give a default: ${env:THREE:-value})",
                "mantis.yaml:4:4: d: malformed reference '${env:}': empty variable name");
        assertThat(e.getMessage()).startsWith("mantis.yaml has 4 configuration problems:");
    }
}
