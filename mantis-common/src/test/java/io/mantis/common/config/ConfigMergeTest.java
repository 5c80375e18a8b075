package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {

    private static final ConfigNode BUILT_IN = ConfigLoader.parse("""
      server:
        port: 8080
        host: 0.0.0.0
        tls:
          enabled: false
          protocols: [TLSv1.2, TLSv1.3]
      metrics:
        retention: 15d
      """, "<built-in>", Map.of());

    private static ConfigNode user(String yaml) {
        return ConfigLoader.parse(yaml, "mantis.yaml", Map.of());
    }

    @Test
    void overrideWinsDeeplyAndTheRestOfTheBaseSurvives() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("""
        server:
          tls:
            enabled: true
        """));
        assertThat(merged.toString()).isEqualTo("{server: {port: \"8080\", host: \"0.0.0.0\","
                + " tls: {enabled: \"true\", protocols: [\"TLSv1.2\", \"TLSv1.3\"]}},"
                + " metrics: {retention: \"15d\"}}");
    }

    @Test
    void locationsComeFromTheNodeThatWon() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("""
        server:
          tls:
            enabled: true
        """));
        ConfigNode tls = merged.get("server").get("tls");
        assertThat(tls.get("enabled").location()).isEqualTo("mantis.yaml:3:14");
        assertThat(tls.keyNode("enabled").location()).isEqualTo("mantis.yaml:3:5");
        assertThat(tls.get("protocols").location()).isEqualTo("<built-in>:6:16");
        assertThat(tls.get("protocols").elements().get(1).path()).isEqualTo("server.tls.protocols[1]");
        assertThat(merged.get("server").get("port").location()).isEqualTo("<built-in>:2:9");
        assertThat(merged.get("metrics").location()).isEqualTo("<built-in>:8:3");
        // A mapping present in both is located in the override, where the user wrote it.
        assertThat(merged.get("server").location()).isEqualTo("mantis.yaml:2:3");
    }

    @Test
    void sequencesAndScalarsReplaceWhole() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("""
        server:
          port: 9090
          tls:
            protocols: [TLSv1.3]
        """));
        assertThat(merged.get("server").get("port").scalar()).isEqualTo("9090");
        assertThat(merged.get("server").get("tls").get("protocols").toString())
                .isEqualTo("[\"TLSv1.3\"]");
    }

    @Test
    void newKeysAreAppendedInOverrideOrder() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("""
        logs:
          level: debug
        server:
          port: 1
        traces: {}
        """));
        assertThat(merged.keys()).containsExactly("server", "metrics", "logs", "traces");
        assertThat(merged.get("logs").get("level").location()).isEqualTo("mantis.yaml:2:10");
    }

    @Test
    void kindChangeReplacesWhole() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("server: [a]\n"));
        assertThat(merged.get("server").isSequence()).isTrue();
    }

    @Test
    void nullInOverrideKeepsTheBase() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("server:\nmetrics: ~\n"));
        assertThat(merged.get("server").get("port").scalar()).isEqualTo("8080");
        assertThat(merged.get("metrics").get("retention").scalar()).isEqualTo("15d");
    }

    @Test
    void emptyUserFileYieldsTheBase() {
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user(""));
        assertThat(merged.toString()).isEqualTo(BUILT_IN.toString());
        assertThat(ConfigLoader.merge(BUILT_IN, null)).isSameAs(BUILT_IN);
    }

    @Test
    void mergedTreeBindsWithProblemsPointingIntoTheRightFile() {
        record Tls(boolean enabled, java.util.List<String> protocols) {
        }
        record Server(int port, String host, Tls tls) {
        }
        ConfigNode merged = ConfigLoader.merge(BUILT_IN, user("server:\n  port: eighty\n"));
        ConfigProblems problems = new ConfigProblems();
        ConfigBinder.bind(merged.get("server"), Server.class, null, problems);
        assertThat(problems.list()).singleElement().hasToString(
                "mantis.yaml:2:9: server.port: expected an integer, got 'eighty'");
    }
}
