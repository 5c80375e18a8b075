package io.mantis.metrics.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.mantis.metrics.tsdb.index.CodePointOrder;
import io.mantis.otlp.prometheus.Labels;
import java.util.Comparator;

/**
 * JSON strings escaped byte for byte as Prometheus writes them (Go's JSON encoders in their
 * HTML-safe mode), and the order Prometheus sorts strings and label sets in.
 *
 * <p>Go escapes {@code <}, {@code >} and {@code &} (as six-character u-escapes), every control
 * character except newline, carriage return and tab as a u-escape with lower-case hex (so never
 * the short forms for backspace and form feed), and U+2028/U+2029 (which break JavaScript string
 * literals); characters above the BMP are written as their four UTF-8 bytes. Jackson's defaults
 * differ in each of these, and clients that compare or hash answers (caches, tests, recording
 * proxies) see
 * the difference even though the JSON values are equal.
 */
final class PromJson {

    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .characterEscapes(new GoEscapes())
            .build();

    /** Go's string order (UTF-8 bytes, i.e. code points) applied to label sets, as labels.Compare. */
    static final Comparator<Labels> LABELS_ORDER = (a, b) -> {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = CodePointOrder.INSTANCE.compare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = CodePointOrder.INSTANCE.compare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private PromJson() {
    }

    private static final class GoEscapes extends CharacterEscapes {
        private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        private final int[] ascii;

        GoEscapes() {
            int[] e = CharacterEscapes.standardAsciiEscapesForJSON();
            // Go's short escapes are only \n, \r, \t (and \" \\); \b and \f get the long form.
            e['\b'] = ESCAPE_STANDARD;
            e['\f'] = ESCAPE_STANDARD;
            e['<'] = ESCAPE_STANDARD;
            e['>'] = ESCAPE_STANDARD;
            e['&'] = ESCAPE_STANDARD;
            this.ascii = e;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? LINE_SEPARATOR : ch == 0x2029 ? PARAGRAPH_SEPARATOR : null;
        }
    }
}
