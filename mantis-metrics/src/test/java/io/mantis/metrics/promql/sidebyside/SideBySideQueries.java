package io.mantis.metrics.promql.sidebyside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mantis.metrics.promql.sidebyside.PromqlSideBySideIT.Answer;
import io.mantis.metrics.promql.sidebyside.PromqlSideBySideIT.Compare;
import io.mantis.metrics.promql.sidebyside.PromqlSideBySideIT.Form;
import io.mantis.metrics.promql.sidebyside.PromqlSideBySideIT.Pair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queries {@link PromqlSideBySideIT} asks both servers, grouped by language area, and the
 * documented differences ({@link Allowance}) some of them carry.
 */
final class SideBySideQueries {

    private SideBySideQueries() {
    }

    /**
     * One query: the text Mantis is asked, the text Prometheus 2.42 is asked (the same unless an
     * allowance says why not), the forms it is asked in, whether the answer's order matters.
     */
    record Query(String mantis, String prometheus, Set<Form> forms, boolean keepsOrder, Map<Form, Allowance> allowances) {

        Query ordered() {
            return new Query(mantis, prometheus, forms, true, allowances);
        }

        /** The allowance for all forms the query is asked in. */
        Query allow(Allowance a) {
            Query q = this;
            for (Form f : Form.values()) {
                q = q.allow(f, a);
            }
            return q;
        }

        /** The allowance for one form only (for {@link Form#RANGE}: for both range forms). */
        Query allow(Form form, Allowance a) {
            Map<Form, Allowance> m = new EnumMap<>(Form.class);
            m.putAll(allowances);
            m.put(form, a);
            if (form == Form.RANGE) {
                m.put(Form.RANGE_45S, a);
            }
            return new Query(mantis, prometheus, forms, keepsOrder, m);
        }

        /** Prometheus 2.42 is asked {@code text} instead. */
        Query peer(String text) {
            return new Query(mantis, text, forms, keepsOrder, allowances);
        }

        Allowance allowance(Form form) {
            return allowances.get(form);
        }
    }

    /** What an allowance checks of the two answers; throws {@link AssertionError} when it does not hold. */
    @FunctionalInterface
    interface Check {
        void check(Pair pair) throws Exception;
    }

    /** A documented difference between Prometheus 2.42 and Mantis (which follows Prometheus 3). */
    record Allowance(String name, String reason, Check check) {
    }

    private static void fail(Pair pair, String what) {
        throw new AssertionError(pair.form() + " " + pair.query().mantis() + " [allowance " + what + "]\n  Prometheus: "
                + Compare.abbreviate(pair.prometheus().body()) + "\n  Mantis:     "
                + Compare.abbreviate(pair.mantis().body()));
    }

    private static void same(Pair pair, String allowance, List<String> diffs) {
        if (!diffs.isEmpty()) {
            fail(pair, allowance + ": " + String.join("; ", diffs));
        }
    }

    /**
     * {@code holt_winters} is {@code double_exponential_smoothing} since Prometheus 3.0 (behind the
     * experimental-functions flag there); 2.42 knows only the old name. Mantis is asked the new
     * name, 2.42 the old one, and the answers must be the same; 2.42 must still refuse the new name.
     */
    static final Allowance RENAMED_IN_3 = new Allowance("renamed-in-3",
            "holt_winters was renamed double_exponential_smoothing in Prometheus 3.0", pair -> {
                same(pair, "renamed-in-3", Compare.answers(pair.prometheus(), pair.mantis(), pair.query().keepsOrder(), true));
                Answer newName = pair.askPrometheus(pair.query().mantis());
                if (!"bad_data".equals(Compare.text(newName.json(), "errorType"))) {
                    fail(pair, "renamed-in-3: 2.42 now knows the new name; drop the allowance");
                }
            });

    /**
     * A function or aggregation 2.42 does not have ({@code limitk}, {@code limit_ratio}: 2.53,
     * experimental). 2.42 must refuse it as a parse error; Mantis' answer is checked against 2.42's
     * answer for the input vector (the query's peer text): every series Mantis returns is there
     * with the same values, and at each time Mantis returns {@code perTime} series (or all there
     * are, if fewer), or, with {@code perTime < 0}, some but not all of them.
     */
    static Allowance subsetOfInput(int perTime) {
        return new Allowance("not-in-2.42", "a PromQL addition after 2.42", pair -> {
            Answer refused = pair.askPrometheus(pair.query().mantis());
            if (!"bad_data".equals(Compare.text(refused.json(), "errorType"))) {
                fail(pair, "not-in-2.42: 2.42 accepts the query; drop the allowance");
            }
            JsonNode p = pair.prometheus().json().get("data").get("result");
            JsonNode m = pair.mantis().json().get("data").get("result");
            Map<String, String> input = new HashMap<>();
            Map<String, Integer> inputPerTime = new HashMap<>();
            points(p, input, inputPerTime);
            Map<String, String> output = new HashMap<>();
            Map<String, Integer> outputPerTime = new HashMap<>();
            points(m, output, outputPerTime);
            for (Map.Entry<String, String> e : output.entrySet()) {
                String v = input.get(e.getKey());
                if (v == null || !Compare.sameNumber(v, e.getValue())) {
                    fail(pair, "not-in-2.42: " + e.getKey() + " " + e.getValue() + " is not in the input");
                }
            }
            for (Map.Entry<String, Integer> e : inputPerTime.entrySet()) {
                int got = outputPerTime.getOrDefault(e.getKey(), 0);
                boolean ok = perTime >= 0 ? got == Math.min(perTime, e.getValue()) : got > 0 && got < e.getValue();
                if (!ok) {
                    fail(pair, "not-in-2.42: " + got + " of " + e.getValue() + " series at " + e.getKey());
                }
            }
        });
    }

    /** Every (labels, time) of a vector or matrix result with its value; and the series count per time. */
    private static void points(JsonNode result, Map<String, String> values, Map<String, Integer> perTime) {
        for (JsonNode s : result) {
            String labels = Compare.labels(s.get("metric"));
            List<JsonNode> pts = new ArrayList<>();
            if (s.has("value")) {
                pts.add(s.get("value"));
            }
            if (s.has("values")) {
                s.get("values").forEach(pts::add);
            }
            for (JsonNode pt : pts) {
                String t = pt.get(0).asText();
                values.put(labels + "@" + t, pt.get(1).asText());
                perTime.merge(t, 1, Integer::sum);
            }
        }
    }

    /**
     * PromQL annotations (warnings and infos about a query's data) came with Prometheus 2.48;
     * 2.42 answers the same data without them. The data must agree; 2.42 must have no warnings
     * and Mantis must give one containing {@code expected}.
     */
    static Allowance annotation(String expected) {
        return new Allowance("annotations-since-2.48", "2.42 has no PromQL annotations", pair -> {
            same(pair, "annotations-since-2.48",
                    Compare.answers(pair.prometheus(), pair.mantis(), pair.query().keepsOrder(), false));
            JsonNode pj = pair.prometheus().json();
            JsonNode mj = pair.mantis().json();
            if (!Compare.strings(pj.get("warnings")).isEmpty() || !Compare.strings(pj.get("infos")).isEmpty()) {
                fail(pair, "annotations-since-2.48: 2.42 gave annotations");
            }
            List<String> mine = new ArrayList<>(Compare.strings(mj.get("warnings")));
            mine.addAll(Compare.strings(mj.get("infos")));
            if (mine.stream().noneMatch(s -> s.contains(expected))) {
                fail(pair, "annotations-since-2.48: Mantis gave no annotation containing \"" + expected + "\"");
            }
        });
    }

    /**
     * Prometheus 3 lets {@code .} in a label matcher's regular expression match a newline; 2.42
     * did not. Without the series whose label values contain a newline the answers must be the
     * same, and those series must be where the two differ.
     */
    static final Allowance REGEX_DOT_NEWLINE = new Allowance("regex-dot-matches-newline",
            "since Prometheus 3.0 '.' in label matchers matches newlines", pair -> {
                JsonNode pj = pair.prometheus().json();
                JsonNode mj = pair.mantis().json();
                List<String> pn = removeNewlineSeries(pj);
                List<String> mn = removeNewlineSeries(mj);
                if (pn.equals(mn)) {
                    fail(pair, "regex-dot-matches-newline: both matched the same newline series; drop the allowance");
                }
                same(pair, "regex-dot-matches-newline", Compare.answers(new Answer(pair.prometheus().status(), pj.toString()),
                        new Answer(pair.mantis().status(), mj.toString()), pair.query().keepsOrder(), true));
            });

    private static List<String> removeNewlineSeries(JsonNode answer) {
        ArrayNode result = (ArrayNode) answer.get("data").get("result");
        List<String> removed = new ArrayList<>();
        for (int i = result.size() - 1; i >= 0; i--) {
            String labels = result.get(i).get("metric").toString();
            if (labels.contains("\\n")) {
                removed.add(labels);
                result.remove(i);
            }
        }
        return removed;
    }

    /**
     * Prometheus 2.42's range-query endpoint returned parse errors bare; later versions (and
     * Mantis) prefix them with {@code invalid parameter "query": } as the instant endpoint always
     * did. Status and error type agree; the message is the prefix plus 2.42's message.
     */
    static final Allowance RANGE_PARSE_ERROR_PREFIX = new Allowance("range-parse-error-prefix",
            "2.42's query_range did not name the query parameter in parse errors", pair -> {
                Answer p = pair.prometheus();
                Answer m = pair.mantis();
                String pe = Compare.text(p.json(), "error");
                if (pe.startsWith("invalid parameter")) {
                    fail(pair, "range-parse-error-prefix: 2.42 names the parameter; drop the allowance");
                }
                if (p.status() != m.status() || !"bad_data".equals(Compare.text(m.json(), "errorType"))
                        || !"bad_data".equals(Compare.text(p.json(), "errorType"))
                        || !Compare.text(m.json(), "error").equals("invalid parameter \"query\": " + pe)) {
                    fail(pair, "range-parse-error-prefix: not the same parse error");
                }
            });

    /**
     * Prometheus 3 accepts any UTF-8 string as a label name; 2.42 refused {@code name} (not
     * [a-zA-Z_][a-zA-Z0-9_]*) with an execution error. Mantis must answer with the label set on
     * every series.
     */
    static Allowance utf8LabelName(String name) {
        return new Allowance("utf8-label-names", "Prometheus 3 accepts UTF-8 label names", pair -> {
            Answer p = pair.prometheus();
            if (p.status() != 422 || !"execution".equals(Compare.text(p.json(), "errorType"))
                    || !Compare.text(p.json(), "error").contains(name)) {
                fail(pair, "utf8-label-names: 2.42 no longer refuses \"" + name + "\"");
            }
            JsonNode m = pair.mantis().json();
            if (pair.mantis().status() != 200 || m.get("data").get("result").isEmpty()) {
                fail(pair, "utf8-label-names: Mantis gave no series");
            }
            for (JsonNode series : m.get("data").get("result")) {
                if (!series.get("metric").has(name)) {
                    fail(pair, "utf8-label-names: a series without \"" + name + "\"");
                }
            }
        });
    }

    /**
     * Arithmetic between a native histogram and a scalar came with 2.50; 2.42 passes the
     * histogram through unchanged (but drops the name). Mantis' histograms must be 2.42's scaled
     * by {@code factor}.
     */
    static Allowance histogramScaled(double factor) {
        return new Allowance("histogram-arithmetic", "histogram * scalar is 2.50+", pair -> {
            JsonNode pj = pair.prometheus().json();
            if (pair.prometheus().body().equals(pair.mantis().body())) {
                fail(pair, "histogram-arithmetic: the answers are the same; drop the allowance");
            }
            for (JsonNode series : pj.get("data").get("result")) {
                if (series.has("histogram")) {
                    scale((ObjectNode) series.get("histogram").get(1), factor);
                }
                if (series.has("histograms")) {
                    series.get("histograms").forEach(h -> scale((ObjectNode) h.get(1), factor));
                }
            }
            same(pair, "histogram-arithmetic", Compare.answers(new Answer(pair.prometheus().status(), pj.toString()),
                    pair.mantis(), false, true));
        });
    }

    private static void scale(ObjectNode h, double factor) {
        h.put("count", Double.toString(Double.parseDouble(h.get("count").asText()) * factor));
        h.put("sum", Double.toString(Double.parseDouble(h.get("sum").asText()) * factor));
        for (JsonNode b : h.get("buckets")) {
            ((ArrayNode) b).set(3, b.get(3).asText().isEmpty() ? b.get(3)
                    : new TextNode(Double.toString(Double.parseDouble(b.get(3).asText()) * factor)));
        }
    }

    /**
     * Prometheus 3 interpolates inside a native histogram's exponential bucket exponentially,
     * 2.42 linearly. For schema 0 (bounds 2^(i-1), 2^i) and a positive 2.42 answer {@code p} in
     * (l, u], Mantis must answer l * (u/l)^((p-l)/(u-l)); some point must differ.
     */
    static final Allowance EXPONENTIAL_QUANTILE = new Allowance("exponential-interpolation",
            "Prometheus 3 interpolates within exponential buckets exponentially", pair -> {
                Map<String, String> p = new HashMap<>();
                Map<String, String> m = new HashMap<>();
                points(pair.prometheus().json().get("data").get("result"), p, new HashMap<>());
                points(pair.mantis().json().get("data").get("result"), m, new HashMap<>());
                if (!p.keySet().equals(m.keySet())) {
                    fail(pair, "exponential-interpolation: not the same series and times");
                }
                boolean differs = false;
                for (Map.Entry<String, String> e : p.entrySet()) {
                    double linear = Double.parseDouble(e.getValue());
                    double upper = Math.pow(2, Math.ceil(Math.log(linear) / Math.log(2)));
                    double lower = upper / 2;
                    double expected = lower * Math.pow(upper / lower, (linear - lower) / (upper - lower));
                    if (!Compare.sameNumber(Double.toString(expected), m.get(e.getKey()))) {
                        fail(pair, "exponential-interpolation: " + e.getKey() + " expected " + expected
                                + " from 2.42's " + linear + ", Mantis " + m.get(e.getKey()));
                    }
                    differs |= !Compare.sameNumber(e.getValue(), m.get(e.getKey()));
                }
                if (!differs) {
                    fail(pair, "exponential-interpolation: no point differs; drop the allowance");
                }
            });

    /**
     * {@link #EXPONENTIAL_QUANTILE} for histogram_fraction with an upper bound inside a bucket:
     * 2.42's answer is lo + (hi - lo) * linear and Mantis' must be lo + (hi - lo) * exponential,
     * where lo and hi are 2.42's answers for the queries ending at the bucket's bounds.
     */
    static Allowance exponentialFraction(String toLowerBound, String toUpperBound, double linear, double exponential) {
        return new Allowance("exponential-interpolation",
                "Prometheus 3 interpolates within exponential buckets exponentially", pair -> {
                    Map<String, String> lo = new HashMap<>();
                    Map<String, String> hi = new HashMap<>();
                    Map<String, String> p = new HashMap<>();
                    Map<String, String> m = new HashMap<>();
                    points(pair.askPrometheus(toLowerBound).json().get("data").get("result"), lo, new HashMap<>());
                    points(pair.askPrometheus(toUpperBound).json().get("data").get("result"), hi, new HashMap<>());
                    points(pair.prometheus().json().get("data").get("result"), p, new HashMap<>());
                    points(pair.mantis().json().get("data").get("result"), m, new HashMap<>());
                    if (!p.keySet().equals(m.keySet()) || p.isEmpty()) {
                        fail(pair, "exponential-interpolation: not the same series and times");
                    }
                    for (String k : p.keySet()) {
                        double l = Double.parseDouble(lo.get(k));
                        double h = Double.parseDouble(hi.get(k));
                        if (!Compare.sameNumber(Double.toString(l + (h - l) * linear), p.get(k))) {
                            fail(pair, "exponential-interpolation: 2.42 no longer interpolates linearly at " + k);
                        }
                        if (!Compare.sameNumber(Double.toString(l + (h - l) * exponential), m.get(k))) {
                            fail(pair, "exponential-interpolation: Mantis at " + k + " is not " + (l + (h - l) * exponential));
                        }
                    }
                });
    }

    /**
     * Functions and aggregations that take native histograms since 2.4x/2.5x ({@code changes},
     * {@code resets}, {@code irate}, {@code avg}, {@code last_over_time}); 2.42 sees only their
     * (absent) float values and answers 0, or nothing. 2.42's answer to the query must still
     * differ from Mantis'; Mantis' answer must be 2.42's for the same question asked of the float
     * twin that carries each histogram's count (the test data's histograms change, and reset,
     * exactly when their count does).
     */
    static final Allowance FLOAT_TWIN = new Allowance("histograms-after-2.42",
            "2.42 ignores native histograms in this function or aggregation", pair -> {
                Answer direct = pair.askPrometheus(pair.query().mantis());
                if (Compare.answers(direct, pair.mantis(), pair.query().keepsOrder(), true).isEmpty()) {
                    fail(pair, "histograms-after-2.42: 2.42 answers the histogram query alike; drop the allowance");
                }
                same(pair, "histograms-after-2.42",
                        Compare.answers(pair.prometheus(), pair.mantis(), pair.query().keepsOrder(), true));
            });

    /**
     * Prometheus 3 ignores native histograms in {@code min}, {@code max}, {@code stddev} ... with
     * an info annotation (no result when a group holds only histograms); 2.42 aggregated their
     * float value, 0. 2.42 must answer zeros, Mantis nothing and the info.
     */
    static Allowance histogramIgnored(String info) {
        return new Allowance("histograms-ignored-in-aggregation", "Prometheus 3 ignores histograms here", pair -> {
            Map<String, String> p = new HashMap<>();
            points(pair.prometheus().json().get("data").get("result"), p, new HashMap<>());
            if (p.isEmpty() || p.values().stream().anyMatch(v -> !v.equals("0"))) {
                fail(pair, "histograms-ignored-in-aggregation: 2.42 did not answer zeros");
            }
            JsonNode m = pair.mantis().json();
            if (!m.get("data").get("result").isEmpty()
                    || Compare.strings(m.get("infos")).stream().noneMatch(i -> i.contains(info))) {
                fail(pair, "histograms-ignored-in-aggregation: Mantis should answer nothing, with the info \"" + info + "\"");
            }
        });
    }

    /**
     * Prometheus 3's {@code stddev}/{@code stdvar} of a group whose only value is NaN or
     * infinite is NaN; 2.42 answered 0. Where the answers differ, 2.42 must say 0, Mantis NaN,
     * and the group's input (2.42's answer to {@code input}, one series per group, grouped by
     * {@code label}) must be non-finite; everything else must agree.
     */
    static Allowance nonFiniteSingleton(String input, String label) {
        return new Allowance("stddev-of-non-finite", "Prometheus 3: stddev/stdvar of a lone NaN or Inf is NaN", pair -> {
            Map<String, String> in = new HashMap<>();
            for (JsonNode series : pair.askPrometheus(input).json().get("data").get("result")) {
                List<JsonNode> pts = new ArrayList<>();
                if (series.has("value")) {
                    pts.add(series.get("value"));
                }
                if (series.has("values")) {
                    series.get("values").forEach(pts::add);
                }
                for (JsonNode pt : pts) {
                    in.put(series.get("metric").get(label).asText() + "@" + pt.get(0).asText(), pt.get(1).asText());
                }
            }
            Map<String, String> p = new HashMap<>();
            Map<String, String> m = new HashMap<>();
            points(pair.prometheus().json().get("data").get("result"), p, new HashMap<>());
            points(pair.mantis().json().get("data").get("result"), m, new HashMap<>());
            if (!p.keySet().equals(m.keySet())) {
                fail(pair, "stddev-of-non-finite: not the same series and times");
            }
            boolean differs = false;
            for (Map.Entry<String, String> e : p.entrySet()) {
                String mv = m.get(e.getKey());
                if (Compare.sameNumber(e.getValue(), mv)) {
                    continue;
                }
                differs = true;
                // the key is {label=value}@time; the group's input is under value@time
                String key = e.getKey();
                String group = key.substring(key.indexOf('=') + 1, key.indexOf('}'));
                String x = in.get(group + key.substring(key.indexOf('@')));
                boolean nonFinite = x != null && (x.equals("NaN") || x.endsWith("Inf"));
                if (!e.getValue().equals("0") || !mv.equals("NaN") || !nonFinite) {
                    fail(pair, "stddev-of-non-finite: " + key + " Prometheus " + e.getValue() + ", Mantis " + mv
                            + ", input " + x);
                }
            }
            if (!differs) {
                fail(pair, "stddev-of-non-finite: no point differs; drop the allowance");
            }
        });
    }

    /**
     * A range query over a window pinned by {@code @} inside a function Prometheus calls unsafe
     * for {@code @} ({@code predict_linear}): 2.42 turned the pin into an offset from the query's
     * start, so the window slid along with the steps; Prometheus 3 keeps it pinned (its testdata
     * checks this for calls whose other arguments vary per step). Mantis' value at each step must
     * be 2.42's instant answer at that step with the pin written as a timestamp ({@code pinned},
     * where {@code %s} stands for the range's end in seconds), and the range answers must differ.
     */
    static Allowance pinnedWindow(String pinned) {
        return new Allowance("pinned-window-in-range", "2.42 slid @-pinned windows under predict_linear", pair -> {
            if (Compare.answers(pair.prometheus(), pair.mantis(), false, true).isEmpty()) {
                fail(pair, "pinned-window-in-range: 2.42 answers alike; drop the allowance");
            }
            PromqlSideBySideIT it = pair.it();
            String query = String.format(pinned, PromqlSideBySideIT.seconds(it.rangeEnd()));
            Map<String, String> expected = new HashMap<>();
            for (long t = it.rangeStart(); t <= it.rangeEnd(); t += it.rangeStep(pair.form())) {
                points(it.askPrometheusAt(query, t).json().get("data").get("result"), expected, new HashMap<>());
            }
            Map<String, String> m = new HashMap<>();
            points(pair.mantis().json().get("data").get("result"), m, new HashMap<>());
            if (!expected.keySet().equals(m.keySet())) {
                fail(pair, "pinned-window-in-range: not the points of 2.42's instant answers " + expected.keySet());
            }
            for (Map.Entry<String, String> e : expected.entrySet()) {
                if (!Compare.sameNumber(e.getValue(), m.get(e.getKey()))) {
                    fail(pair, "pinned-window-in-range: " + e.getKey() + " 2.42 instant " + e.getValue() + ", Mantis "
                            + m.get(e.getKey()));
                }
            }
        });
    }

    /**
     * An error that names the first offending series an evaluation meets: in a range query
     * Prometheus meets an aggregation's output series in the order of a Go map, which is random
     * from run to run, so which group it names is not defined. Status and error type must agree
     * and both messages must match {@code pattern}; they may, but need not, be the same.
     */
    static Allowance unorderedErrorSubject(String pattern) {
        return new Allowance("error-names-any-offender", "Prometheus' range evaluation order is a Go map's", pair -> {
            Answer p = pair.prometheus();
            Answer m = pair.mantis();
            if (p.status() != m.status()
                    || !Compare.text(p.json(), "errorType").equals(Compare.text(m.json(), "errorType"))
                    || !Compare.text(p.json(), "error").matches(pattern)
                    || !Compare.text(m.json(), "error").matches(pattern)) {
                fail(pair, "error-names-any-offender: not the same error, or not matching " + pattern);
            }
        });
    }

    private static final Pattern PAIR = Pattern.compile(
            "(found duplicate series for the match group .* hand-side of the operation: \\[)(\\{.*?\\}), (\\{.*?\\})(\\];.*)");

    /**
     * The pair of duplicate series a many-to-many error names: 2.42 put the later-met series
     * first; Prometheus 3 sorts the pair. With 2.42's pair sorted the messages must be the same,
     * Mantis' pair must be sorted and 2.42's not.
     */
    static final Allowance PAIR_IN_LABEL_ORDER = new Allowance("many-to-many-pair-sorted",
            "Prometheus 3 names the duplicate pair in label order", pair -> {
                String pe = Compare.text(pair.prometheus().json(), "error");
                String me = Compare.text(pair.mantis().json(), "error");
                Matcher pm = PAIR.matcher(pe);
                Matcher mm = PAIR.matcher(me);
                if (!pm.matches() || !mm.matches() || pair.prometheus().status() != pair.mantis().status()) {
                    fail(pair, "many-to-many-pair-sorted: not both a many-to-many error");
                }
                if (pm.group(2).compareTo(pm.group(3)) < 0) {
                    fail(pair, "many-to-many-pair-sorted: 2.42's pair is sorted here; drop the allowance");
                }
                if (mm.group(2).compareTo(mm.group(3)) > 0) {
                    fail(pair, "many-to-many-pair-sorted: Mantis' pair is not sorted");
                }
                String sorted = pm.group(1) + pm.group(3) + ", " + pm.group(2) + pm.group(4);
                if (!sorted.equals(me)) {
                    fail(pair, "many-to-many-pair-sorted: expected \"" + sorted + "\"");
                }
            });

    /**
     * {@code atan2} drops the metric name like the other arithmetic operators since Prometheus
     * 3; 2.42 kept it. Without {@code __name__} the answers must be the same.
     */
    static final Allowance ATAN2_DROPS_NAME = new Allowance("atan2-drops-name",
            "Prometheus 3 drops __name__ for atan2 as for other arithmetic", pair -> {
                JsonNode pj = pair.prometheus().json();
                boolean had = false;
                for (JsonNode series : pj.get("data").get("result")) {
                    had |= ((ObjectNode) series.get("metric")).remove("__name__") != null;
                }
                if (!had) {
                    fail(pair, "atan2-drops-name: 2.42 dropped the name; drop the allowance");
                }
                same(pair, "atan2-drops-name", Compare.answers(new Answer(pair.prometheus().status(), pj.toString()),
                        pair.mantis(), false, true));
            });

    /**
     * The same error (HTTP status and error type), worded differently: Prometheus 3's parser and
     * engine reworded some messages. The two messages must differ (else drop the allowance) and
     * each must contain its expected text.
     */
    static Allowance wording(String prometheusSays, String mantisSays) {
        return new Allowance("error-wording", "message reworded after 2.42", pair -> {
            Answer p = pair.prometheus();
            Answer m = pair.mantis();
            List<String> diffs = Compare.answers(p, m, false, true);
            if (diffs.isEmpty()) {
                fail(pair, "error-wording: the answers are the same now; drop the allowance");
            }
            if (p.status() != m.status()
                    || !Compare.text(p.json(), "errorType").equals(Compare.text(m.json(), "errorType"))) {
                fail(pair, "error-wording: not the same kind of error");
            }
            if (!Compare.text(p.json(), "error").contains(prometheusSays)
                    || !Compare.text(m.json(), "error").contains(mantisSays)) {
                fail(pair, "error-wording: expected Prometheus to say \"" + prometheusSays + "\" and Mantis \""
                        + mantisSays + "\"");
            }
        });
    }

    private static Query q(String text) {
        return new Query(text, text, EnumSet.allOf(Form.class), false, Map.of());
    }

    /** A query 2.42 refuses at parse time: the range form differs by the parameter prefix. */
    private static Query parseError(String text) {
        return q(text).allow(Form.RANGE, RANGE_PARSE_ERROR_PREFIX);
    }

    static List<Query> all(PromqlSideBySideIT it) {
        String at = PromqlSideBySideIT.seconds(it.base + 15 * 60_000L + 30_000);
        List<Query> l = new ArrayList<>();

        // ---- selectors, offset, @
        l.add(q("sbs_requests_total"));
        l.add(q("sbs_requests_total{code=\"500\"}"));
        l.add(q("sbs_requests_total{code!=\"500\",method=~\"G.*\"}"));
        l.add(q("{__name__=~\"sbs_temp.*\",room!~\"g.*\"}"));
        l.add(q("{job=\"batch\"}"));
        l.add(q("sbs_stale"));
        l.add(q("sbs_stopped"));
        l.add(q("sbs_late"));
        l.add(q("sbs_special"));
        l.add(q("sbs_native_seconds"));
        l.add(q("sbs_path{path=~\"a.*\"}").allow(REGEX_DOT_NEWLINE));
        l.add(q("sbs_path{path!~\"a.b\"}").allow(REGEX_DOT_NEWLINE));
        l.add(q("sbs_requests_total offset 5m"));
        l.add(q("sbs_requests_total offset -2m"));
        l.add(q("sbs_temperature_celsius @ start()"));
        l.add(q("sbs_temperature_celsius @ end()"));
        l.add(q("sbs_temperature_celsius @ " + at));
        l.add(q("sbs_temperature_celsius @ " + at + " offset 1m"));
        l.add(q("sbs_requests_total{instance=\"a:9090\"}[2m]"));
        l.add(q("sbs_temperature_celsius[1m] offset 3m"));
        l.add(q("sbs_native_seconds[1m]"));
        l.add(q("sbs_stale[10m]"));

        // ---- aggregations
        l.add(q("sum(sbs_requests_total)"));
        l.add(q("sum by (instance) (sbs_requests_total)"));
        l.add(q("sum without (method, code) (sbs_requests_total)"));
        l.add(q("avg by (room) (sbs_temperature_celsius)"));
        l.add(q("min(sbs_temperature_celsius)"));
        l.add(q("max by (instance) (sbs_temperature_celsius)"));
        l.add(q("count(sbs_temperature_celsius)"));
        l.add(q("count by (job) ({__name__=~\"sbs_.*\"})"));
        l.add(q("stddev by (instance) (sbs_temperature_celsius)"));
        l.add(q("stdvar(sbs_temperature_celsius)"));
        l.add(q("group by (job, instance) (sbs_requests_total)"));
        l.add(q("topk(3, sbs_temperature_celsius)").ordered());
        l.add(q("topk by (instance) (1, sbs_temperature_celsius)"));
        l.add(q("bottomk(2, sbs_temperature_celsius)").ordered());
        l.add(q("bottomk without (room) (1, sbs_temperature_celsius)"));
        l.add(q("topk(2, sbs_special)").ordered());
        l.add(q("quantile(0.5, sbs_temperature_celsius)"));
        l.add(q("quantile by (instance) (0.9, sbs_temperature_celsius)"));
        l.add(q("quantile(1.5, sbs_temperature_celsius)").allow(annotation("quantile value should be between 0 and 1")));
        l.add(q("count_values(\"code\", sbs_version_code)"));
        l.add(q("count_values by (instance) (\"v\", sbs_shard_code)"));
        l.add(q("sum(sbs_special)"));
        l.add(q("avg(sbs_special)"));
        l.add(q("max(sbs_special)"));
        l.add(q("min by (kind) (sbs_special)"));
        l.add(q("stddev(sbs_special)"));
        l.add(q("sum(sbs_native_seconds)"));
        l.add(q("sum by (le) (rate(sbs_request_duration_seconds_bucket[5m]))"));
        l.add(q("avg without (instance) (sbs_version_code)"));
        l.add(q("limitk(2, sbs_temperature_celsius)").peer("sbs_temperature_celsius").allow(subsetOfInput(2)));
        l.add(q("limit_ratio(0.5, sbs_temperature_celsius)").peer("sbs_temperature_celsius").allow(subsetOfInput(-1)));

        // ---- arithmetic and precedence
        l.add(q("sbs_temperature_celsius * 2"));
        l.add(q("sbs_temperature_celsius + sbs_temperature_celsius"));
        l.add(q("2 ^ sbs_version_code"));
        l.add(q("sbs_temperature_celsius % 7"));
        l.add(q("sbs_temperature_celsius - 100"));
        l.add(q("sbs_temperature_celsius / 0"));
        l.add(q("-sbs_temperature_celsius"));
        l.add(q("-sbs_temperature_celsius ^ 2"));
        l.add(q("1 + 2 * 3 ^ 2 % 5"));
        l.add(q("2 ^ 3 ^ 2"));
        l.add(q("(1 - 2) / 0"));
        l.add(q("0 / 0"));
        l.add(q("sbs_temperature_celsius atan2 10").allow(ATAN2_DROPS_NAME));
        l.add(q("sbs_special * -1"));
        l.add(q("sbs_special / sbs_special"));
        l.add(q("sbs_native_seconds * 2").allow(histogramScaled(2)));

        // ---- comparisons and bool
        l.add(q("sbs_temperature_celsius > 20"));
        l.add(q("sbs_temperature_celsius >= bool 20"));
        l.add(q("sbs_temperature_celsius == bool 18"));
        l.add(q("sbs_temperature_celsius != 18"));
        l.add(q("sbs_temperature_celsius < 0"));
        l.add(q("sbs_temperature_celsius <= bool 0"));
        l.add(q("20 < sbs_temperature_celsius"));
        l.add(q("1 > bool 2"));
        l.add(q("sbs_special > 0"));
        l.add(q("sbs_special == bool sbs_special"));
        l.add(q("sbs_requests_total > on(instance, method, code, job) group_left sbs_requests_total offset 5m"));

        // ---- vector matching
        l.add(q("sbs_requests_total / on(instance) group_left sum by (instance) (sbs_requests_total)"));
        l.add(q("sum by (instance, job) (sbs_requests_total) / ignoring(job) group_right sbs_requests_total"));
        l.add(q("sbs_requests_total * on(instance) group_left(version) sbs_info"));
        l.add(q("sbs_info * on(instance) group_right(version) sbs_requests_total"));
        l.add(q("sbs_request_duration_seconds_sum / sbs_request_duration_seconds_count"));
        l.add(q("sbs_request_duration_seconds_sum / ignoring(le) sbs_request_duration_seconds_count"));
        l.add(q("rate(sbs_requests_total{code=\"500\"}[5m]) / ignoring(code) rate(sbs_requests_total{code=\"200\"}[5m])"));
        l.add(q("sbs_temperature_celsius > bool on(instance) group_left avg by (instance) (sbs_temperature_celsius)"));
        l.add(q("sum by (instance) (sbs_requests_total) - on() group_left sum(sbs_requests_total)"));

        // ---- set operators
        l.add(q("sbs_requests_total and sbs_requests_total{code=\"200\"}"));
        l.add(q("sbs_requests_total and on(instance) sbs_info{version=\"1.2.3\"}"));
        l.add(q("sbs_requests_total unless sbs_requests_total{method=\"GET\"}"));
        l.add(q("sbs_requests_total unless ignoring(code) sbs_requests_total{code=\"500\"}"));
        l.add(q("sbs_stale or sbs_late"));
        l.add(q("sbs_temperature_celsius or on(instance) sbs_info"));
        l.add(q("(sbs_temperature_celsius > 20) or (sbs_temperature_celsius < 10)"));
        l.add(q("sbs_late or vector(0)"));

        // ---- subqueries (ranges never a multiple of their step: 3.0 made them left-open)
        l.add(q("max_over_time(rate(sbs_requests_total[2m])[5m10s:1m])"));
        l.add(q("avg_over_time(sbs_temperature_celsius[10m7s:30s])"));
        l.add(q("min_over_time(sum(sbs_requests_total)[4m10s:])"));
        l.add(q("rate(sbs_requests_total[5m])[3m10s:1m]"));
        l.add(q("max_over_time(deriv(sbs_temperature_celsius[5m])[10m10s:2m] offset 1m)"));
        l.add(q("sum_over_time(sbs_version_code[5m10s:1m] @ " + at + ")"));
        l.add(q("last_over_time(max_over_time(sbs_temperature_celsius[2m])[6m10s:1m])"));

        // ---- counters
        l.add(q("rate(sbs_requests_total[5m])"));
        l.add(q("rate(sbs_requests_total[1m])"));
        l.add(q("irate(sbs_requests_total[2m])"));
        l.add(q("increase(sbs_requests_total[10m])"));
        l.add(q("rate(sbs_request_duration_seconds_sum[5m]) / rate(sbs_request_duration_seconds_count[5m])"));
        l.add(q("resets(sbs_requests_total[15m])"));
        l.add(q("changes(sbs_version_code[15m])"));
        l.add(q("changes(sbs_special[5m])"));
        l.add(q("rate(sbs_native_seconds[5m])"));
        l.add(q("increase(sbs_native_seconds[10m])"));
        l.add(q("rate(sbs_temperature_celsius[5m])").allow(annotation("might not be a counter")));

        // ---- gauges
        l.add(q("delta(sbs_temperature_celsius[5m])"));
        l.add(q("idelta(sbs_temperature_celsius[2m])"));
        l.add(q("deriv(sbs_temperature_celsius[10m])"));
        l.add(q("predict_linear(sbs_temperature_celsius[10m], 3600)"));
        l.add(q("double_exponential_smoothing(sbs_temperature_celsius[10m], 0.5, 0.3)")
                .peer("holt_winters(sbs_temperature_celsius[10m], 0.5, 0.3)").allow(RENAMED_IN_3));
        l.add(q("delta(sbs_special[5m])"));

        // ---- *_over_time
        l.add(q("avg_over_time(sbs_temperature_celsius[5m])"));
        l.add(q("min_over_time(sbs_temperature_celsius[5m])"));
        l.add(q("max_over_time(sbs_temperature_celsius[5m])"));
        l.add(q("sum_over_time(sbs_version_code[5m])"));
        l.add(q("count_over_time(sbs_stale[5m])"));
        l.add(q("quantile_over_time(0.75, sbs_temperature_celsius[10m])"));
        l.add(q("quantile_over_time(0, sbs_temperature_celsius[10m])"));
        l.add(q("stddev_over_time(sbs_temperature_celsius[10m])"));
        l.add(q("stdvar_over_time(sbs_temperature_celsius[10m])"));
        l.add(q("last_over_time(sbs_stopped[10m])"));
        l.add(q("present_over_time(sbs_stale[5m])"));
        l.add(q("absent_over_time(sbs_late[5m])"));
        l.add(q("absent_over_time(sbs_nonexistent{job=\"x\"}[5m])"));
        l.add(q("avg_over_time(sbs_special[5m])"));
        l.add(q("max_over_time(sbs_special[5m])"));
        l.add(q("sum_over_time(sbs_special[5m])"));

        // ---- absent
        l.add(q("absent(sbs_nonexistent)"));
        l.add(q("absent(sbs_nonexistent{job=\"x\",instance=~\"y\"})"));
        l.add(q("absent(sbs_late)"));
        l.add(q("absent(sum(sbs_requests_total))"));

        // ---- math
        l.add(q("abs(sbs_temperature_celsius - 18)"));
        l.add(q("ceil(sbs_temperature_celsius)"));
        l.add(q("floor(sbs_temperature_celsius)"));
        l.add(q("round(sbs_temperature_celsius)"));
        l.add(q("round(sbs_temperature_celsius, 0.5)"));
        l.add(q("round(sbs_temperature_celsius, 3)"));
        l.add(q("sqrt(sbs_temperature_celsius)"));
        l.add(q("exp(sbs_version_code)"));
        l.add(q("ln(sbs_temperature_celsius)"));
        l.add(q("log2(sbs_requests_total)"));
        l.add(q("log10(sbs_requests_total)"));
        l.add(q("sgn(sbs_temperature_celsius - 18)"));
        l.add(q("clamp(sbs_temperature_celsius, 10, 20)"));
        l.add(q("clamp(sbs_temperature_celsius, 20, 10)"));
        l.add(q("clamp_min(sbs_temperature_celsius, 15)"));
        l.add(q("clamp_max(sbs_temperature_celsius, 15)"));
        l.add(q("abs(sbs_special)"));

        // ---- trigonometry
        l.add(q("sin(sbs_temperature_celsius)"));
        l.add(q("cos(sbs_temperature_celsius)"));
        l.add(q("tan(sbs_temperature_celsius)"));
        l.add(q("asin(sbs_temperature_celsius / 100)"));
        l.add(q("acos(sbs_temperature_celsius / 100)"));
        l.add(q("atan(sbs_temperature_celsius)"));
        l.add(q("sinh(sbs_version_code)"));
        l.add(q("cosh(sbs_version_code)"));
        l.add(q("tanh(sbs_temperature_celsius)"));
        l.add(q("asinh(sbs_temperature_celsius)"));
        l.add(q("acosh(sbs_temperature_celsius + 100)"));
        l.add(q("atanh(sbs_temperature_celsius / 100)"));
        l.add(q("deg(sbs_temperature_celsius)"));
        l.add(q("rad(sbs_temperature_celsius)"));
        l.add(q("pi()"));

        // ---- time
        l.add(q("time()"));
        l.add(q("timestamp(sbs_temperature_celsius)"));
        l.add(q("timestamp(sbs_stale)"));
        l.add(q("time() - timestamp(sbs_stopped)"));
        l.add(q("day_of_month()"));
        l.add(q("day_of_week()"));
        l.add(q("day_of_year()"));
        l.add(q("days_in_month()"));
        l.add(q("hour()"));
        l.add(q("minute()"));
        l.add(q("month()"));
        l.add(q("year()"));
        l.add(q("minute(timestamp(sbs_temperature_celsius))"));
        l.add(q("hour(vector(1700000000))"));
        l.add(q("day_of_week(vector(1700000000))"));
        l.add(q("days_in_month(vector(1709251200))"));
        l.add(q("day_of_year(vector(1703980800))"));
        l.add(q("month(sbs_requests_total)"));

        // ---- labels, sorting, types
        l.add(q("label_replace(sbs_requests_total, \"host\", \"$1\", \"instance\", \"(.*):.*\")"));
        l.add(q("label_replace(sbs_requests_total, \"instance\", \"\", \"instance\", \"a.*\")"));
        l.add(q("label_replace(sbs_requests_total, \"nomatch\", \"x\", \"instance\", \"zzz\")"));
        l.add(q("label_join(sbs_requests_total, \"combo\", \"-\", \"method\", \"code\")"));
        l.add(q("label_join(sbs_temperature_celsius, \"room\", \"\", \"nothere\")"));
        l.add(q("sort(sbs_temperature_celsius)").ordered()
                .allow(Form.RANGE, annotation("sort is ineffective for range queries")));
        l.add(q("sort_desc(sbs_temperature_celsius)").ordered()
                .allow(Form.RANGE, annotation("sort is ineffective for range queries")));
        l.add(q("sort(sbs_special)").ordered()
                .allow(Form.RANGE, annotation("sort is ineffective for range queries")));
        l.add(q("sort_desc(sum by (instance, code) (rate(sbs_requests_total[5m])))").ordered()
                .allow(Form.RANGE, annotation("sort is ineffective for range queries")));
        l.add(q("scalar(sbs_late)"));
        l.add(q("scalar(sum(sbs_requests_total))"));
        l.add(q("sbs_temperature_celsius * scalar(sbs_version_code{instance=\"a:9090\"})"));
        l.add(q("vector(1)"));
        l.add(q("vector(time())"));
        l.add(q("\"a string\""));
        l.add(q("42"));
        l.add(q("-1.5e3"));
        l.add(q("Inf"));
        l.add(q("-NaN"));
        l.add(q("0x1F"));

        // ---- histograms
        l.add(q("histogram_quantile(0.9, rate(sbs_request_duration_seconds_bucket[5m]))"));
        l.add(q("histogram_quantile(0.5, sum by (le) (rate(sbs_request_duration_seconds_bucket[5m])))"));
        l.add(q("histogram_quantile(0, sbs_request_duration_seconds_bucket)"));
        l.add(q("histogram_quantile(0.99, sbs_request_duration_seconds_bucket)"));
        l.add(q("histogram_quantile(1.2, sbs_request_duration_seconds_bucket)")
                .allow(annotation("quantile value should be between 0 and 1")));
        l.add(q("histogram_quantile(0.9, rate(sbs_native_seconds[5m]))").allow(EXPONENTIAL_QUANTILE));
        l.add(q("histogram_quantile(0.5, sbs_native_seconds)").allow(EXPONENTIAL_QUANTILE));
        l.add(q("histogram_count(sbs_native_seconds)"));
        l.add(q("histogram_sum(rate(sbs_native_seconds[5m]))"));
        l.add(q("histogram_fraction(0, 2, sbs_native_seconds)"));
        l.add(q("histogram_fraction(-1, 0.75, rate(sbs_native_seconds[5m]))").allow(exponentialFraction(
                "histogram_fraction(-1, 0.5, rate(sbs_native_seconds[5m]))",
                "histogram_fraction(-1, 1, rate(sbs_native_seconds[5m]))", 0.5, Math.log(1.5) / Math.log(2))));
        l.add(q("histogram_count(sum(sbs_native_seconds))"));

        // ---- corners: staleness, NaN and Inf, modifiers combined, precedence
        l.add(q("sbs_stale offset 10m"));
        l.add(q("last_over_time(sbs_stale[10m])"));
        l.add(q("max_over_time(sbs_stale[2m])"));
        l.add(q("absent_over_time(sbs_stale[1m])"));
        l.add(q("timestamp(sbs_temperature_celsius @ start())"));
        l.add(q("timestamp(sbs_temperature_celsius offset 1m)"));
        l.add(q("rate(sbs_requests_total[5m] @ start())"));
        l.add(q("max_over_time(sbs_temperature_celsius[5m10s:1m] @ end())"));
        l.add(q("predict_linear(sbs_requests_total[5m] offset 2m, -60)"));
        l.add(q("-(1)"));
        l.add(q("- - sbs_version_code"));
        l.add(q("+sbs_version_code"));
        l.add(q("sbs_temperature_celsius > 10 and sbs_temperature_celsius < 20"));
        l.add(q("sbs_stale or sbs_late unless sbs_stopped"));
        l.add(q("sbs_temperature_celsius > on(instance, room, job) sbs_temperature_celsius offset 5m"));
        l.add(q("sbs_temperature_celsius < bool on(instance, room, job) sbs_temperature_celsius offset 5m"));
        l.add(q("count_values(\"v\", sbs_special)"));
        l.add(q("quantile(0.5, sbs_special)"));
        l.add(q("scalar(sbs_temperature_celsius)"));
        l.add(q("sgn(sbs_special)"));
        l.add(q("floor(sbs_special)"));
        l.add(q("clamp(sbs_special, -1, 1)"));
        l.add(q("sqrt(vector(-1))"));
        l.add(q("ln(vector(0))"));
        l.add(q("exp(vector(1000))"));
        l.add(q("round(vector(-2.5))"));
        l.add(q("round(vector(2.5))"));
        l.add(q("time() % 3600"));
        l.add(q("year(vector(-1))"));
        l.add(q("month(vector(1e10))"));
        l.add(q("days_in_month(vector(1709251199))"));
        l.add(q("label_join(sbs_requests_total, \"all\", \",\", \"job\", \"instance\", \"code\")"));
        l.add(q("label_replace(sbs_requests_total, \"__name__\", \"renamed_$1\", \"code\", \"(.*)\")"));
        l.add(q("sort_desc(topk(4, sbs_temperature_celsius))").ordered()
                .allow(Form.RANGE, annotation("sort is ineffective for range queries")));
        l.add(q("topk(0.5, sbs_temperature_celsius)"));
        l.add(q("topk(-1, sbs_temperature_celsius)"));
        l.add(q("stdvar_over_time(sbs_special[5m])"));
        l.add(q("quantile_over_time(0.5, sbs_special[5m])"));
        l.add(q("deriv(sbs_special[5m])"));
        l.add(q("count(sbs_native_seconds)"));
        l.add(q("changes(sbs_native_seconds[10m])").peer("changes(sbs_native_count[10m])").allow(FLOAT_TWIN));
        // offset -5m: the reset (25 minutes in) is inside the window in every form
        l.add(q("resets(sbs_native_seconds[30m] offset -5m)").peer("resets(sbs_native_count[30m] offset -5m)")
                .allow(FLOAT_TWIN));
        l.add(q("histogram_quantile(0.5, sbs_request_duration_seconds_bucket{le=\"+Inf\"})"));
        l.add(q("histogram_quantile(0.5, sbs_request_duration_seconds_bucket{le!=\"+Inf\"})"));
        l.add(q("predict_linear(sbs_requests_total[5m], 600) - sbs_requests_total"));
        l.add(q("double_exponential_smoothing(sbs_temperature_celsius[10m], 1.5, 0.5)")
                .peer("holt_winters(sbs_temperature_celsius[10m], 1.5, 0.5)").allow(RENAMED_IN_3));
        l.add(q("increase(sbs_request_duration_seconds_count[10m]) > bool 100"));

        // ---- native histograms, further
        l.add(q("histogram_count(avg(sbs_native_seconds))").peer("avg(sbs_native_count)").allow(FLOAT_TWIN));
        l.add(q("max(sbs_native_seconds)").allow(histogramIgnored("ignored histogram in max aggregation")));
        l.add(q("sum by (job) (rate(sbs_native_seconds[5m]))"));
        l.add(q("histogram_quantile(0.75, sum(rate(sbs_native_seconds[5m])))").allow(EXPONENTIAL_QUANTILE));
        l.add(q("histogram_count(increase(sbs_native_seconds[10m]))"));
        l.add(q("histogram_sum(sbs_native_seconds) / histogram_count(sbs_native_seconds)"));
        l.add(q("histogram_count(irate(sbs_native_seconds[2m]))").peer("irate(sbs_native_count[2m])").allow(FLOAT_TWIN));
        l.add(q("sbs_native_seconds / 2").allow(histogramScaled(0.5)));
        l.add(q("sbs_native_seconds + sbs_native_seconds"));
        l.add(q("count_over_time(sbs_native_seconds[5m])"));
        l.add(q("histogram_count(last_over_time(sbs_native_seconds[5m]))")
                .peer("last_over_time(sbs_native_count[5m]) * 1").allow(FLOAT_TWIN));
        l.add(q("timestamp(sbs_native_seconds)"));
        l.add(q("histogram_fraction(0, +Inf, sbs_native_seconds)"));
        l.add(q("histogram_fraction(-Inf, 0, sbs_native_seconds)"));
        l.add(q("sum(sbs_native_seconds) or vector(0)"));

        // ---- classic histograms and counters, further
        l.add(q("histogram_quantile(0.5, sum by (le, instance) (increase(sbs_request_duration_seconds_bucket[10m])))"));
        l.add(q("histogram_quantile(0.999, rate(sbs_request_duration_seconds_bucket[1m]))"));
        l.add(q("histogram_quantile(0.25, sbs_request_duration_seconds_bucket offset 15m)"));
        l.add(q("sum without (le) (sbs_request_duration_seconds_bucket)"));
        l.add(q("increase(sbs_requests_total[1m] offset 30s)"));
        l.add(q("rate(sbs_requests_total{instance=\"b:9090\",code=\"500\"}[20m])"));
        l.add(q("irate(sbs_requests_total{instance=\"b:9090\",code=\"500\"}[20m])"));
        l.add(q("resets(sbs_requests_total{instance=\"b:9090\"}[30m])"));
        l.add(q("delta(sbs_requests_total[5m])"));
        l.add(q("idelta(sbs_requests_total[1m])"));
        l.add(q("deriv(sbs_requests_total[5m])"));
        l.add(q("sum(rate(sbs_requests_total[5m])) by (code) / ignoring(code) group_left sum(rate(sbs_requests_total[5m]))"));
        l.add(q("topk(2, sum by (instance, method) (increase(sbs_requests_total[10m])))").ordered());
        l.add(q("bottomk by (code) (1, rate(sbs_requests_total[5m]))"));
        l.add(q("quantile without (method) (0.25, rate(sbs_requests_total[5m]))"));
        l.add(q("count_values without (instance) (\"version\", sbs_version_code)"));
        l.add(q("group(sbs_special)"));
        l.add(q("stdvar by (kind) (sbs_special)").allow(nonFiniteSingleton("sbs_special", "kind")));
        l.add(q("avg_over_time(rate(sbs_requests_total[1m])[10m7s:1m])"));
        l.add(q("max_over_time((sbs_temperature_celsius > 20)[7m10s:30s])"));
        l.add(q("count_over_time((sbs_temperature_celsius > 20)[7m10s:30s])"));
        l.add(q("sbs_temperature_celsius offset 1h"));
        l.add(q("sbs_temperature_celsius @ 100"));
        l.add(parseError("vector(1) @ end()"));
        l.add(parseError("time() @ start()"));
        l.add(q("sum(sbs_requests_total @ end()) - sum(sbs_requests_total @ start())"));

        // ---- labels, matching, formatting and window edges, further
        l.add(q("label_replace(sbs_requests_total, \"a\", \"$1\", \"instance\", \"a\")"));
        l.add(q("label_replace(sbs_requests_total, \"a\", \"${1}x$2\", \"instance\", \"(a|b)(.*)\")"));
        l.add(q("label_replace(sbs_requests_total, \"a\", \"$2\", \"instance\", \"(.*)\")"));
        l.add(q("label_join(sbs_requests_total, \"instance\", \"\", \"job\")"));
        l.add(q("sum(sbs_requests_total) without (instance, method, code, job)"));
        l.add(q("count by (__name__) ({job=\"api\"})"));
        l.add(q("topk by (instance) (2, sbs_requests_total)"));
        l.add(q("quantile_over_time(-1, sbs_temperature_celsius[5m])")
                .allow(annotation("quantile value should be between 0 and 1")));
        l.add(q("predict_linear(sbs_temperature_celsius[10m] @ end(), 60)")
                .allow(Form.RANGE, pinnedWindow("predict_linear(sbs_temperature_celsius[10m] @ %s, 60)")));
        l.add(q("absent(sbs_nonexistent{job=\"x\"} @ end())"));
        l.add(q("absent_over_time(sbs_nonexistent{a=\"b\",a=\"c\"}[5m])"));
        l.add(q("absent(sbs_nonexistent{job=~\"x\",instance=\"y\"})"));
        l.add(q("changes(sbs_stale[20m])"));
        l.add(q("count_over_time(sbs_stale[30m])"));
        l.add(q("timestamp(timestamp(sbs_temperature_celsius))"));
        l.add(q("sbs_temperature_celsius and on() vector(1)"));
        l.add(q("sbs_temperature_celsius unless on() absent(sbs_late)"));
        l.add(q("sbs_temperature_celsius == sbs_temperature_celsius"));
        l.add(q("sbs_temperature_celsius == on(instance, room) group_left sbs_temperature_celsius"));
        l.add(q("sum((sbs_temperature_celsius))"));
        l.add(q("-(sbs_temperature_celsius)"));
        l.add(q("1 - sbs_version_code > bool 0"));
        l.add(q("sbs_requests_total % -3"));
        l.add(q("sbs_requests_total ^ 0.5"));
        l.add(q("sbs_temperature_celsius % -7.5"));
        l.add(q("min_over_time(sbs_special[10m])"));
        l.add(q("topk(1, sbs_special)"));
        l.add(q("bottomk(2, sbs_special)"));
        l.add(q("quantile(0, sbs_special)"));
        l.add(q("quantile(1, sbs_special)"));
        l.add(q("count_values(\"x\", sbs_temperature_celsius)"));
        l.add(q("count_values(\"x\", sbs_temperature_celsius * 1e20)"));
        l.add(q("count_values(\"x\", sbs_temperature_celsius / 1e9)"));
        l.add(q("count_values(\"x\", -sbs_version_code)"));
        l.add(q("sum_over_time(sbs_temperature_celsius[40m])"));
        l.add(q("avg_over_time(sbs_requests_total[30m])"));
        l.add(q("stddev_over_time(sbs_special[5m])"));
        l.add(q("delta(sbs_stale[10m])"));
        // the annotation only where there is a result: sbs_stopped is gone at the end, sbs_late not there mid-way
        l.add(q("rate(sbs_stopped[10m])").allow(Form.INSTANT_MID, annotation("might not be a counter"))
                .allow(Form.RANGE, annotation("might not be a counter")));
        l.add(q("increase(sbs_late[5m])").allow(Form.INSTANT_END, annotation("might not be a counter"))
                .allow(Form.RANGE, annotation("might not be a counter")));
        l.add(q("rate(sbs_requests_total[15s])"));
        l.add(q("rate(sbs_requests_total[16s])"));
        l.add(q("deriv(sbs_late[5m])"));
        l.add(q("irate(sbs_late[30s])"));
        l.add(q("idelta(sbs_stopped[1m])"));

        // ---- matchers, NaN comparisons, matching with label copies, further
        l.add(q("sbs_temperature_celsius @ " + at.substring(0, at.length() - 4) + ".123"));
        l.add(q("sbs_temperature_celsius offset 7s"));
        l.add(q("{__name__=~\"sbs_(temperature|version).*\"}"));
        l.add(q("sum by (__name__) ({__name__=~\"sbs_(temperature|version).*\"})"));
        l.add(q("sbs_temperature_celsius{room=~\"kitchen|attic\"}"));
        l.add(q("sbs_temperature_celsius{room=~\"k.*|\"}"));
        l.add(q("sbs_temperature_celsius{nonexistent=\"\"}"));
        l.add(q("sbs_temperature_celsius{nonexistent!=\"\"}"));
        l.add(q("sbs_temperature_celsius{room=~\"\"}"));
        l.add(q("sum by (nonexistent) (sbs_temperature_celsius)"));
        l.add(q("count without (__name__) ({job=\"sensor\"})"));
        l.add(q("last_over_time(sbs_temperature_celsius[1m10s:15s])"));
        l.add(q("max_over_time(sbs_temperature_celsius[5m10s:1m] offset 1m30s)"));
        l.add(q("sbs_special != sbs_special"));
        l.add(q("NaN == bool NaN"));
        l.add(q("sbs_temperature_celsius > Inf"));
        l.add(q("sbs_special >= -Inf"));
        l.add(q("sort(-sbs_special)").ordered()
                .allow(Form.RANGE, annotation("sort is ineffective for range queries")));
        l.add(q("topk by (kind) (2, sbs_special)"));
        l.add(q("quantile by (kind) (0.5, sbs_special)"));
        l.add(q("avg by (kind) (sbs_special)"));
        l.add(q("sum_over_time(sbs_special[1m])"));
        l.add(q("count_over_time(sbs_special[1m])"));
        l.add(q("absent(vector(1))"));
        l.add(q("absent(sbs_nonexistent{job=\"x\"}) * 2"));
        l.add(q("sbs_requests_total * on(instance) group_left(job) sbs_info"));
        l.add(q("sbs_info * on(instance) group_right(job, version) sbs_requests_total"));
        l.add(q("sbs_requests_total > bool on(instance, method, code, job) sbs_requests_total offset 5m"));
        l.add(q("ceil(vector(-0.5))"));
        l.add(q("timestamp(sbs_stale)"));
        l.add(q("changes(sbs_version_code[30m])"));
        l.add(q("histogram_quantile(0.5, sbs_request_duration_seconds_bucket{instance=\"a:9090\"}"
                + " or sbs_request_duration_seconds_bucket{instance=\"b:9090\"} * 0)"));
        l.add(q("label_replace(sbs_request_duration_seconds_bucket, \"le\", \"$1\", \"le\", \"(.*)\")"));
        l.add(q("histogram_quantile(0.5, label_replace(sbs_request_duration_seconds_bucket, \"instance\", \"x\", \"\", \"\"))"));
        l.add(q("scalar(sbs_version_code{instance=\"a:9090\"}) > bool 0"));
        l.add(q("vector(scalar(sbs_late))"));
        l.add(q("time() - 60 > bool time() - 120"));
        l.add(q("sum(sbs_requests_total offset 1m) by (code)"));
        l.add(q("max by (instance) (sbs_temperature_celsius) / on(instance) group_left min by (instance, room) (sbs_temperature_celsius)")
                .allow(Form.INSTANT_MID, PAIR_IN_LABEL_ORDER).allow(Form.INSTANT_END, PAIR_IN_LABEL_ORDER)
                .allow(Form.RANGE, unorderedErrorSubject("found duplicate series for the match group \\{instance=\"[ab]:9090\"\\} on the"
                        + " right hand-side of the operation: \\[\\{instance=\"[ab]:9090\", room=\"\\w+\"\\},"
                        + " \\{instance=\"[ab]:9090\", room=\"\\w+\"\\}\\];many-to-many matching not allowed: matching labels must"
                        + " be unique on one side")));

        // ---- Go regular expressions and time functions over values, further
        l.add(q("label_replace(sbs_requests_total, \"x\", \"$0-$0\", \"instance\", \".*\")"));
        l.add(q("label_replace(sbs_requests_total, \"host\", \"${h}\", \"instance\", \"(?P<h>[a-z]+):.*\")"));
        l.add(q("label_replace(sbs_requests_total, \"host\", \"$1x\", \"instance\", \"([a-z]+):.*\")"));
        l.add(q("sbs_requests_total{instance=~\"(?i)A:9090\"}"));
        l.add(q("sbs_requests_total{instance=~\"[[:alpha:]]:\\\\d+\"}"));
        l.add(q("sbs_temperature_celsius{room=~\"\\\\pL+\"}"));
        l.add(q("sbs_temperature_celsius{room=~\"kit\\\\w+|att.c\"}"));
        l.add(q("sbs_temperature_celsius{room!~\"(?:kitchen|garage)\"}"));
        l.add(q("{__name__=~\"sbs_.*_total|sbs_info\", instance=\"a:9090\"}"));
        l.add(q("label_replace(sbs_requests_total, \"x\", \"$1\", \"instance\", \"([[:alpha:]]):.*\")"));
        l.add(q("label_replace(sbs_requests_total, \"x\", \"$1\", \"instance\", \"(\\\\pL)\\\\W.*\")"));
        l.add(q("label_replace(sbs_requests_total, \"x\", \"$1\", \"instance\", \"(?i)(A):.*\")"));
        l.add(q("label_replace(sbs_requests_total, \"x\", \"$1\", \"instance\", \"(.*?)9+\")"));
        l.add(q("day_of_week(sbs_temperature_celsius * 1e8)"));
        l.add(q("month(sbs_version_code * 2.6e6)"));
        l.add(q("year(vector(4102444800))"));
        l.add(q("days_in_month(vector(951782400))"));
        l.add(q("day_of_year(vector(1704067199))"));
        l.add(q("hour(vector(-3600))"));
        l.add(q("timestamp(vector(1))"));
        l.add(q("timestamp(sum(sbs_requests_total))"));
        l.add(q("vector(time()) - time()"));

        // ---- staleness in subqueries, histograms in operators, further
        l.add(q("max_over_time(sbs_stale[10m10s:1m])"));
        l.add(q("rate(sbs_stale[10m])").allow(Form.INSTANT_MID, annotation("might not be a counter"))
                .allow(Form.RANGE, annotation("might not be a counter")));
        l.add(q("last_over_time(sbs_stale[30m10s:1m])"));
        l.add(q("sum_over_time(rate(sbs_requests_total[1m])[5m10s:15s])"));
        l.add(parseError("sum(rate(sbs_requests_total[1m])[5m10s:15s])"));
        l.add(q("present_over_time(sbs_native_seconds[5m])"));
        l.add(q("sbs_native_seconds and sbs_native_seconds"));
        l.add(q("sbs_native_seconds unless on(instance) sbs_info{version=\"1.2.3\"}"));
        l.add(q("sum(sbs_native_seconds) + sum(sbs_native_seconds)"));
        l.add(q("histogram_sum(sbs_native_seconds offset 5m)"));
        l.add(q("count by (job) (sbs_native_seconds)"));
        l.add(q("group by (instance) (sbs_native_seconds)"));
        l.add(q("scalar(vector(1)) * vector(2)"));
        l.add(q("vector(2) * scalar(sbs_version_code{instance=\"b:9090\"})"));
        l.add(q("sbs_requests_total{instance=\"a:9090\"} - ignoring(instance) sbs_requests_total{instance=\"b:9090\"}"));
        l.add(q("sbs_requests_total / on(instance, job, method, code) (sbs_requests_total offset 10m)"));

        // ---- errors
        l.add(parseError("sbs_requests_total{"));
        l.add(parseError("sum("));
        l.add(parseError("rate(sbs_requests_total)"));
        l.add(parseError("histogram_quantile(0.9)"));
        l.add(parseError("round(sbs_temperature_celsius, 1, 2)"));
        l.add(parseError("unknown_function(sbs_requests_total)"));
        l.add(parseError("sbs_requests_total[5m] + 1"));
        l.add(parseError("\"a\" + 1"));
        l.add(q("sum by (instance) (sbs_requests_total) * on(instance) sbs_requests_total").allow(PAIR_IN_LABEL_ORDER));
        l.add(q("sbs_requests_total + on(job) sbs_requests_total").allow(PAIR_IN_LABEL_ORDER));
        l.add(q("label_replace(sbs_requests_total, \"dst\", \"$1\", \"instance\", \"(\")"));
        l.add(q("label_replace(sbs_requests_total, \"1bad\", \"x\", \"instance\", \".*\")").allow(utf8LabelName("1bad")));
        l.add(q("label_replace(sbs_requests_total, \"code\", \"x\", \"\", \"\")"));
        l.add(parseError("{__name__=~\".*\"}"));
        l.add(parseError("sbs_requests_total[5m:1m:1m]"));
        l.add(parseError("1 and 1"));
        l.add(parseError("sbs_requests_total offset 1m offset 2m"));
        l.add(parseError("timestamp(sbs_requests_total[5m])"));
        l.add(q("count_values(\"1bad\", sbs_version_code)").allow(utf8LabelName("1bad")));
        l.add(parseError("topk(\"a\", sbs_requests_total)"));
        l.add(q("sbs_requests_total{code=~\"(\"}").allow(wording("error parsing regexp: missing closing ): `^(?:()$`",
                "invalid regular expression \"(\": missing closing ): (")));
        l.add(parseError("sum(sbs_requests_total) by (job) by (instance)"));
        l.add(parseError("rate(sbs_requests_total[5m]"));
        l.add(parseError("sbs_requests_total @ foo()"));
        l.add(parseError("sbs_requests_total and on(job) group_left sbs_info"));
        l.add(parseError("rate(sbs_requests_total[0s])"));
        l.add(parseError("max_over_time(sbs_temperature_celsius[5m:0s])"));
        l.add(parseError("sum without (instance) by (job) (sbs_requests_total)"));
        l.add(q("sbs_requests_total offset").allow(wording("in offset, expected duration",
                "in offset, expected number, duration, or step()")));
        l.add(parseError("quantile_over_time(sbs_temperature_celsius[5m])"));
        l.add(parseError("label_join(sbs_requests_total, \"a\")"));
        l.add(parseError("absent(sbs_requests_total[5m])"));
        return l;
    }
}
