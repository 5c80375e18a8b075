package io.mantis.otlp.loki;

import static io.mantis.otlp.loki.Otlp.array;
import static io.mantis.otlp.loki.Otlp.b;
import static io.mantis.otlp.loki.Otlp.bytes;
import static io.mantis.otlp.loki.Otlp.d;
import static io.mantis.otlp.loki.Otlp.i;
import static io.mantis.otlp.loki.Otlp.kv;
import static io.mantis.otlp.loki.Otlp.map;
import static io.mantis.otlp.loki.Otlp.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import org.junit.jupiter.api.Test;

class AnyValuesTest {

    @Test
    void scalars() {
        assertThat(AnyValues.asString(str("as is \"<&>\""))).isEqualTo("as is \"<&>\"");
        assertThat(AnyValues.asString(i(-42))).isEqualTo("-42");
        assertThat(AnyValues.asString(b(true))).isEqualTo("true");
        assertThat(AnyValues.asString(b(false))).isEqualTo("false");
        assertThat(AnyValues.asString(bytes((byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef))).isEqualTo("3q2+7w==");
        assertThat(AnyValues.asString(AnyValue.getDefaultInstance())).isEmpty();
    }

    @Test
    void doublesUseShortestFormWithGoExponentCutoffs() {
        assertThat(AnyValues.asString(d(637.704))).isEqualTo("637.704");
        assertThat(AnyValues.asString(d(1.0))).isEqualTo("1");
        assertThat(AnyValues.asString(d(-2.5))).isEqualTo("-2.5");
        assertThat(AnyValues.asString(d(0.1))).isEqualTo("0.1");
        assertThat(AnyValues.asString(d(100))).isEqualTo("100");
        assertThat(AnyValues.asString(d(1e20))).isEqualTo("100000000000000000000");
        assertThat(AnyValues.asString(d(1e21))).isEqualTo("1e+21");
        assertThat(AnyValues.asString(d(1.5e300))).isEqualTo("1.5e+300");
        assertThat(AnyValues.asString(d(0.000001))).isEqualTo("0.000001");
        assertThat(AnyValues.asString(d(1e-7))).isEqualTo("1e-7");
        assertThat(AnyValues.asString(d(-1.25e-10))).isEqualTo("-1.25e-10");
        assertThat(AnyValues.asString(d(0.0))).isEqualTo("0");
        assertThat(AnyValues.asString(d(-0.0))).isEqualTo("-0");
        assertThat(AnyValues.asString(d(Double.NaN))).isEqualTo("NaN");
        assertThat(AnyValues.asString(d(Double.NEGATIVE_INFINITY))).isEqualTo("-Inf");
    }

    @Test
    void arraysAndMapsAreGoJson() {
        assertThat(AnyValues.asString(array(str("many"), str("values")))).isEqualTo("[\"many\",\"values\"]");
        assertThat(AnyValues.asString(array(i(1), d(2.5), b(true), AnyValue.getDefaultInstance(), bytes((byte) 1))))
                .isEqualTo("[1,2.5,true,null,\"AQ==\"]");
        // Keys sorted; a repeated key keeps its last value; nesting preserved.
        AnyValue m = map(kv("z", i(1)), kv("a", map(kv("inner", array()))), kv("z", str("last")));
        assertThat(AnyValues.asString(m)).isEqualTo("{\"a\":{\"inner\":[]},\"z\":\"last\"}");
        assertThat(AnyValues.asString(map())).isEqualTo("{}");
        assertThat(AnyValues.asString(array(d(Double.POSITIVE_INFINITY)))).isEqualTo("[\"+Inf\"]");
    }

    @Test
    void jsonStringsAreEscapedLikeGoIncludingHtmlCharacters() {
        assertThat(AnyValues.asString(array(str("<a href=\"x\">&</a>\n\t\u0001\u2028\\"))))
                .isEqualTo("[\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\n\\t\\u0001\\u2028\\\\\"]");
        assertThat(AnyValues.asString(array(str("\uD83D\uDE00 \uD800")))).isEqualTo("[\"\uD83D\uDE00 \\ufffd\"]");
    }

    @Test
    void mapKeysSortByCodePoint() {
        // U+FF21 sorts before U+1F600 by code point, but after its surrogates by UTF-16 unit.
        AnyValue m = map(kv("\uD83D\uDE00", i(1)), kv("\uFF21", i(2)));
        assertThat(AnyValues.asString(m)).isEqualTo("{\"\uFF21\":2,\"\uD83D\uDE00\":1}");
    }
}
