package io.mantis.collector.receiver.prometheus;

import io.mantis.collector.receiver.prometheus.Exposition.Family;
import java.util.Map;

/**
 * Finds the family a sample belongs to and the part it plays in it ({@code foo_bucket} is a bucket
 * of histogram {@code foo}), from the metadata of the scrape. A sample matching no typed family
 * is a family of its own, of unknown type.
 */
final class FamilyResolver {
    /** What a sample line contributes to its family's data point. */
    enum Role { VALUE, TOTAL, CREATED, BUCKET, COUNT, SUM, GCOUNT, GSUM, INFO }

    record Resolved(Family family, Role role) {
    }

    private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum",
        "_info"};
    private static final Role[] SUFFIX_ROLES = {Role.TOTAL, Role.CREATED, Role.BUCKET, Role.COUNT, Role.SUM,
        Role.GCOUNT, Role.GSUM, Role.INFO};

    private FamilyResolver() {
    }

    static Resolved resolve(String sampleName, Map<String, Family> families) {
        Family exact = families.get(sampleName);
        if (exact != null && exact.kind() != MetricKind.UNKNOWN) {
            // 0.0.4 names a counter after its sample (# TYPE foo_total counter); old clients
            // expose counters without the suffix at all.
            return new Resolved(exact, exact.kind() == MetricKind.COUNTER ? Role.TOTAL : Role.VALUE);
        }
        for (int i = 0; i < SUFFIXES.length; i++) {
            String suffix = SUFFIXES[i];
            if (!sampleName.endsWith(suffix) || sampleName.length() == suffix.length()) {
                continue;
            }
            String base = sampleName.substring(0, sampleName.length() - suffix.length());
            Family f = families.get(base);
            Role role = SUFFIX_ROLES[i];
            if (f != null && fits(f.kind(), role)) {
                return new Resolved(f, role);
            }
            if (role == Role.CREATED) {
                // 0.0.4 counters announced as foo_total still have their start time in foo_created.
                Family counter = families.get(base + "_total");
                if (counter != null && counter.kind() == MetricKind.COUNTER) {
                    return new Resolved(counter, role);
                }
            }
        }
        if (exact != null) {
            return new Resolved(exact, Role.VALUE);
        }
        return new Resolved(new Family(sampleName, MetricKind.UNKNOWN, null, null), Role.VALUE);
    }

    private static boolean fits(MetricKind kind, Role role) {
        return switch (kind) {
            case COUNTER -> role == Role.TOTAL || role == Role.CREATED;
            case HISTOGRAM -> role == Role.BUCKET || role == Role.COUNT || role == Role.SUM || role == Role.CREATED;
            case GAUGE_HISTOGRAM -> role == Role.BUCKET || role == Role.GCOUNT || role == Role.GSUM;
            case SUMMARY -> role == Role.COUNT || role == Role.SUM || role == Role.CREATED;
            case INFO -> role == Role.INFO;
            case GAUGE, UNKNOWN, STATESET -> false;
        };
    }
}
