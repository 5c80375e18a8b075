package io.mantis.metrics.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.ParseException;
import io.mantis.metrics.promql.SeriesSelectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Request parameters from the query string and, for POST, a form body, merged as Go's
 * {@code Request.FormValue} does (body values first), with the API's parsing rules.
 */
final class Params {

    private final QueryParams query;
    private final QueryParams form;

    Params(AggregatedHttpRequest req) {
        String path = req.path();
        int q = path.indexOf('?');
        this.query = q < 0 ? QueryParams.of() : QueryParams.fromQueryString(path.substring(q + 1));
        MediaType type = req.contentType();
        if (req.method() == HttpMethod.POST && type != null && type.is(MediaType.FORM_DATA)) {
            this.form = QueryParams.fromQueryString(req.contentUtf8());
        } else {
            this.form = QueryParams.of();
        }
    }

    String get(String name) {
        String v = form.get(name);
        return v != null ? v : query.get(name);
    }

    List<String> all(String name) {
        List<String> out = new ArrayList<>(form.getAll(name));
        out.addAll(query.getAll(name));
        return out;
    }

    long time(String name, long dflt) {
        String v = get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return PromFormat.parseTime(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, "Invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    /** {@code limit}: 0 or absent means no limit. */
    int limit() {
        String v = get("limit");
        if (v == null || v.isEmpty()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParam("limit", "cannot parse \"" + v + "\" to a valid limit");
        }
        if (n < 0) {
            throw ApiException.invalidParam("limit", "limit must be non-negative");
        }
        return n;
    }

    /**
     * Every {@code match[]} parsed into matcher sets. Prometheus names the parameter in the error
     * for {@code /series} but not for the label endpoints ({@code named}); a selector whose
     * matchers all match the empty string is refused with the API's own message, not the
     * parser's.
     */
    List<Matcher[]> matchers(boolean named) {
        List<Matcher[]> out = new ArrayList<>();
        for (String s : all("match[]")) {
            List<Matcher> ms;
            try {
                ms = SeriesSelectors.parseMatchers(s);
            } catch (ParseException e) {
                throw named ? ApiException.invalidParam("match[]", e.getMessage()) : ApiException.badData(e.getMessage());
            }
            if (ms.stream().allMatch(Matcher::matchesEmpty)) {
                String msg = "match[] must contain at least one non-empty matcher";
                throw named ? ApiException.invalidParam("match[]", msg) : ApiException.badData(msg);
            }
            out.add(ms.toArray(Matcher[]::new));
        }
        return out;
    }
}
