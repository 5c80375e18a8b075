package io.mantis.otlp.loki;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives the {@code detected_level} Loki 3 adds to each entry at ingestion (its
 * {@code discover_log_levels} limit, on by default), in Loki's order of precedence:
 * <ol>
 *   <li>a stream label named like a level field ({@code level}, {@code severity}, ...), value as is;
 *   <li>a structured-metadata entry with such a name, value as is;
 *   <li>the OTLP {@code severity_number}: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn,
 *       17-20 error, 21-24 fatal, anything else unknown;
 *   <li>the line: a level field of a JSON object line (searched to a configurable depth) or of a
 *       logfmt line, normalised to trace/debug/info/warn/error/critical/fatal;
 *   <li>failing that, keywords anywhere in the line ({@code info}, {@code error}/{@code err},
 *       {@code warn}, {@code critical}, {@code debug}, each in lower or upper case, tried in that
 *       order), else {@code unknown}.
 * </ol>
 */
final class LevelDetector {

    static final String DETECTED_LEVEL = "detected_level";

    private static final JsonFactory JSON = new JsonFactory();

    private final List<String> fields;
    private final Set<String> fieldSet;
    private final int jsonMaxDepth;

    LevelDetector(List<String> fields, int jsonMaxDepth) {
        this.fields = fields;
        this.fieldSet = new HashSet<>(fields);
        this.jsonMaxDepth = jsonMaxDepth;
    }

    /** The level for an entry, or the empty string when a level field exists but is empty. */
    String detect(Labels stream, List<LabelPair> metadata, String line) {
        for (String f : fields) {
            String v = stream.get(f);
            if (v != null) {
                return v;
            }
        }
        for (String f : fields) {
            for (LabelPair p : metadata) {
                if (p.name().equals(f)) {
                    return p.value();
                }
            }
        }
        for (LabelPair p : metadata) {
            if (p.name().equals(LokiTranslator.SEVERITY_NUMBER)) {
                return fromSeverityNumber(p.value());
            }
        }
        return fromLine(line);
    }

    static String fromSeverityNumber(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return "info";
        }
        if (n == 0) {
            return "unknown";
        } else if (n <= 4) {
            return "trace";
        } else if (n <= 8) {
            return "debug";
        } else if (n <= 12) {
            return "info";
        } else if (n <= 16) {
            return "warn";
        } else if (n <= 20) {
            return "error";
        } else if (n <= 24) {
            return "fatal";
        }
        return "unknown";
    }

    String fromLine(String line) {
        String value;
        if (looksLikeJsonObject(line)) {
            value = jsonLevel(line);
        } else if (line.indexOf('=') >= 0) {
            value = logfmtLevel(line);
        } else {
            return fromKeywords(line);
        }
        String normalised = value == null ? null : normalise(value);
        return normalised != null ? normalised : fromKeywords(line);
    }

    private static String normalise(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "trace", "trc" -> "trace";
            case "debug", "dbg" -> "debug";
            case "info", "inf" -> "info";
            case "warn", "wrn", "warning" -> "warn";
            case "error", "err" -> "error";
            case "critical" -> "critical";
            case "fatal" -> "fatal";
            default -> null;
        };
    }

    static String fromKeywords(String line) {
        if (line.contains("info") || line.contains("INFO")) {
            return "info";
        }
        if (line.contains("err") || line.contains("ERR")) {
            return "error";
        }
        if (line.contains("warn") || line.contains("WARN")) {
            return "warn";
        }
        if (line.contains("critical") || line.contains("CRITICAL")) {
            return "critical";
        }
        if (line.contains("debug") || line.contains("DEBUG")) {
            return "debug";
        }
        return "unknown";
    }

    private static boolean looksLikeJsonObject(String line) {
        int start = 0;
        int end = line.length() - 1;
        while (start <= end && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        while (end >= start && Character.isWhitespace(line.charAt(end))) {
            end--;
        }
        return start < end && line.charAt(start) == '{' && line.charAt(end) == '}';
    }

    private String jsonLevel(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            return searchObject(p, 0);
        } catch (IOException e) {
            // A line that only looks like JSON has no JSON level; fall back to keywords.
            return null;
        }
    }

    /** Depth-first, document order; the parser is positioned on the object's START_OBJECT. */
    private String searchObject(JsonParser p, int depth) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_STRING) {
                if (fieldSet.contains(name)) {
                    return p.getText();
                }
            } else if (t == JsonToken.START_OBJECT) {
                int child = depth + 1;
                if (jsonMaxDepth <= 0 || child < jsonMaxDepth) {
                    String found = searchObject(p, child);
                    if (found != null) {
                        return found;
                    }
                } else {
                    p.skipChildren();
                }
            } else if (t == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
        return null;
    }

    /** The value of the first-listed level field present as a logfmt key (case-insensitive). */
    private String logfmtLevel(String line) {
        String best = null;
        int bestIndex = fields.size();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && line.charAt(i) <= ' ') {
                i++;
            }
            int keyStart = i;
            while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=') {
                i++;
            }
            String key = line.substring(keyStart, i);
            String value = "";
            if (i < n && line.charAt(i) == '=') {
                i++;
                if (i < n && line.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < n && line.charAt(i) != '"') {
                        char c = line.charAt(i);
                        if (c == '\\' && i + 1 < n) {
                            c = line.charAt(++i);
                        }
                        sb.append(c);
                        i++;
                    }
                    i++;
                    value = sb.toString();
                } else {
                    int valueStart = i;
                    while (i < n && line.charAt(i) > ' ') {
                        i++;
                    }
                    value = line.substring(valueStart, i);
                }
            } else if (i == keyStart) {
                i++;
            }
            if (key.isEmpty()) {
                continue;
            }
            for (int k = 0; k < bestIndex; k++) {
                if (fields.get(k).equalsIgnoreCase(key)) {
                    best = value;
                    bestIndex = k;
                    break;
                }
            }
            if (bestIndex == 0) {
                break;
            }
        }
        return best;
    }
}
