package io.mantis.metrics.promql;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.parser.Parser;
import java.util.List;

/**
 * Parses a series selector ({@code metric{label="v", other=~"re"}}, {@code {"utf8.name", a!="b"}})
 * as the {@code match[]} parameters of the Prometheus API take it: exactly one vector selector and
 * nothing else, as Prometheus' {@code ParseMetricSelector} does. The PromQL parser does the work, so
 * selectors read and fail exactly as they do inside queries.
 */
public final class SeriesSelectors {

    private SeriesSelectors() {
    }

    /** The selector's matchers (the metric name's first); refuses selectors that would select every series. */
    public static List<Matcher> parse(String in) throws ParseException {
        return Parser.parseSeriesSelector(in, true).matchers();
    }

    /**
     * Like {@link #parse} but without the check that some matcher needs a non-empty value: the
     * API's {@code match[]} makes that check itself, with its own message.
     */
    public static List<Matcher> parseMatchers(String in) throws ParseException {
        return Parser.parseSeriesSelector(in, false).matchers();
    }
}
