package io.mantis.otlp.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelStringsTest {

    @Test
    void formatsSortedWithCommaSpaceSeparator() {
        Labels labels = Labels.of("service_name", "api", "env", "prod");
        assertThat(labels.toLabelString()).isEqualTo("{env=\"prod\", service_name=\"api\"}");
        assertThat(Labels.EMPTY.toLabelString()).isEqualTo("{}");
    }

    @Test
    void escapesLikeGoQuoting() {
        Labels labels = Labels.of("v", "a\"b\\c\nd\te\u0001f\u007fg");
        assertThat(labels.toLabelString()).isEqualTo("{v=\"a\\\"b\\\\c\\nd\\te\\x01f\\x7fg\"}");
        // Printable non-ASCII passes through; a non-printable format character is escaped.
        assertThat(Labels.of("v", "\u00fc\u200b").toLabelString()).isEqualTo("{v=\"\u00fc\\u200b\"}");
        assertThat(Labels.of("v", "\uD83D\uDE00").toLabelString()).isEqualTo("{v=\"\uD83D\uDE00\"}");
    }

    @Test
    void parsesWhitespaceTrailingCommaAndOtherQuotes() {
        Labels parsed = LabelStrings.parse(" { b = 'x\\'y' ,a=`raw\\n`, c=\"\\u00e9\\x41\\101\", } ");
        assertThat(parsed.asMap()).containsExactly(
                org.assertj.core.api.Assertions.entry("a", "raw\\n"),
                org.assertj.core.api.Assertions.entry("b", "x'y"),
                org.assertj.core.api.Assertions.entry("c", "\u00e9AA"));
        assertThat(LabelStrings.parse("{}")).isEqualTo(Labels.EMPTY);
        assertThat(LabelStrings.parse("{a=\"\"}").get("a")).isEmpty();
    }

    @Test
    void roundTripsEscapes() {
        String nasty = "quote\" backslash\\ nl\n cr\r tab\t bell\u0007 nul\u0000 del\u007f "
                + "c1\u0085 nbsp\u00a0 ls\u2028 emoji\uD83D\uDE00 bmp\u4e2d private\uE000 astral-private\uDB80\uDC00";
        Labels labels = Labels.of("a", nasty, "b", "", "c", "plain");
        assertThat(LabelStrings.parse(labels.toLabelString())).isEqualTo(labels);
    }

    @Test
    void roundTripsRandomStrings() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(20);
            for (int j = 0; j < len; j++) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> random.nextInt(0x800);
                    case 2 -> 0xE000 + random.nextInt(0x2000);
                    default -> 0x10000 + random.nextInt(0x10000);
                };
                sb.appendCodePoint(cp);
            }
            Labels labels = Labels.of("k", sb.toString());
            assertThat(LabelStrings.parse(labels.toLabelString())).as("case %d", i).isEqualTo(labels);
        }
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> LabelStrings.parse("a=\"b\"")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("expected '{'");
        assertThatThrownBy(() -> LabelStrings.parse("{a=\"b\"")).isInstanceOf(LokiFormatException.class);
        assertThatThrownBy(() -> LabelStrings.parse("{a=\"b}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> LabelStrings.parse("{a=b}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("quoted");
        assertThatThrownBy(() -> LabelStrings.parse("{a!=\"b\"}")).isInstanceOf(LokiFormatException.class);
        assertThatThrownBy(() -> LabelStrings.parse("{a=~\"b\"}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("only '='");
        assertThatThrownBy(() -> LabelStrings.parse("{9a=\"b\"}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("label name");
        assertThatThrownBy(() -> LabelStrings.parse("{a=\"1\", a=\"2\"}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> LabelStrings.parse("{a=\"\\q\"}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("escape");
        assertThatThrownBy(() -> LabelStrings.parse("{a=\"b\" c=\"d\"}")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("expected ',' or '}'");
        assertThatThrownBy(() -> LabelStrings.parse("{a=\"b\"} x")).isInstanceOf(LokiFormatException.class)
                .hasMessageContaining("after '}'");
    }

    @Test
    void labelsAreSortedAndComparable() {
        Labels a = Labels.of("z", "1", "a", "2");
        Labels b = Labels.builder().put("a", "2").put("z", "1").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.name(0)).isEqualTo("a");
        assertThat(a.get("z")).isEqualTo("1");
        assertThat(a.get("missing")).isNull();
        assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "2"))).isNegative();
        assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "1", "b", "1"))).isNegative();
        assertThat(Labels.of("a", "1", "a", "3").get("a")).isEqualTo("3");
        assertThat(a.toBuilder().remove("z").build()).isEqualTo(Labels.of("a", "2"));
    }
}
