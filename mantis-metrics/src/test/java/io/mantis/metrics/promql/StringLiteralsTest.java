package io.mantis.metrics.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StringLiteralsTest {

    private static String value(String literal) throws ParseException {
        return StringLiterals.scan(literal, 0).value();
    }

    @Test
    void escapesAreGoEscapes() throws ParseException {
        assertThat(value("\"a\\tb\\\"c\\u00e9\\U0001F600\"")).isEqualTo("a\tb\"c\u00e9\uD83D\uDE00");
        assertThat(value("'it\\'s'")).isEqualTo("it's");
        assertThat(value("`raw\\n`")).isEqualTo("raw\\n");
        assertThatThrownBy(() -> value("\"\\q\"")).isInstanceOf(ParseException.class)
                .hasMessageContaining("unknown escape sequence U+0071 'q'");
    }

    @Test
    void byteEscapesMakeUtf8WithTheirNeighbours() throws ParseException {
        // \xc3\xa5 and \303\245 are the two UTF-8 bytes of å; a literal å is the same bytes.
        assertThat(value("\"\\xc3\\xa5\"")).isEqualTo("å");
        assertThat(value("\"\\303\\245\"")).isEqualTo("å");
        assertThat(value("\"\\xc3\u00a5\"")).as("a lone lead byte before a literal character")
                .isEqualTo("\uDCC3\u00a5");
    }

    @Test
    void bytesThatAreNotUtf8StayRecognisableAndPrintBack() throws ParseException {
        String s = value("\"a\\xc5z\"");
        assertThat(s).isEqualTo("a\uDCC5z");
        assertThat(StringLiterals.quote(s)).isEqualTo("\"a\\xc5z\"");
        assertThat(value("\"\\xff\"")).isEqualTo("\uDCFF");
        // An overlong encoding and an encoded surrogate are not UTF-8 either.
        assertThat(value("\"\\xc0\\xaf\"")).isEqualTo("\uDCC0\uDCAF");
        assertThat(value("\"\\xed\\xa0\\x80\"")).isEqualTo("\uDCED\uDCA0\uDC80");
    }
}
