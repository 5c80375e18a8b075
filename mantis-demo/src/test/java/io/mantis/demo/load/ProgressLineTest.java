package io.mantis.demo.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void onATerminalTheLineIsRewrittenInPlaceAndEndedAtTheFinish() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        line.update("demo load: 10 sent");
        line.update("demo load: 9");
        line.finish("done");
        String nl = System.lineSeparator();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("\rdemo load: 10 sent" + "\rdemo load: 9" + "      " + "\rdone" + " ".repeat(8) + nl);
        assertThat(line.interval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void elsewhereEachUpdateIsALine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        line.update("a");
        line.finish("b");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("a" + System.lineSeparator() + "b"
                + System.lineSeparator());
        assertThat(line.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theLineSaysSentRateErrorsAndTime() {
        LoadStats s = new LoadStats(1234, 1230, 40, 20, 4, 0, Map.of(), 5.04, Duration.ofSeconds(3725));
        assertThat(s.errors()).isEqualTo(24);
        assertThat(s.line(false)).isEqualTo("demo load: 1,234 sent, 5.0 req/s, 24 errors (1.9%), 40 4xx, 1:02:05");
        assertThat(s.line(true)).isEqualTo("demo load done: 1,234 sent, 24 errors (1.9%), 40 4xx, 1:02:05");
        LoadStats skipping = new LoadStats(10, 5, 0, 0, 0, 5, Map.of(), 1, Duration.ZERO);
        assertThat(skipping.line(false)).contains("5 skipped (shop too slow)");
    }
}
