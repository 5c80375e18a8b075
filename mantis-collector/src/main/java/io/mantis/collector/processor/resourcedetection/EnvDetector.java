package io.mantis.collector.processor.resourcedetection;

import io.mantis.collector.model.AnyValues;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code env} detector: {@code OTEL_RESOURCE_ATTRIBUTES}, a comma-separated list of
 * {@code key=value} whose values are percent-encoded (the OpenTelemetry SDK format; {@code +} is a
 * plus sign, not a space). Surrounding blanks are trimmed. A malformed list fails as a whole, so a
 * half-read variable never adds some of its attributes.
 */
final class EnvDetector implements Detector {
    static final String VARIABLE = "OTEL_RESOURCE_ATTRIBUTES";

    private final Map<String, String> env;

    EnvDetector(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "env";
    }

    @Override
    public List<KeyValue> detect() {
        return parse(env.get(VARIABLE));
    }

    static List<KeyValue> parse(String value) {
        List<KeyValue> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String pair : value.split(",", -1)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(VARIABLE + ": '" + pair.strip() + "' is not key=value");
            }
            String key = pair.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(VARIABLE + ": '" + pair.strip() + "' has an empty key");
            }
            String v = percentDecode(pair.substring(eq + 1).strip());
            out.removeIf(kv -> kv.getKey().equals(key));
            out.add(AnyValues.kv(key, v));
        }
        return out;
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException(VARIABLE + ": invalid percent-encoding in '" + s + "'");
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(VARIABLE + ": '" + s + "' does not decode to UTF-8");
        }
    }
}
