package io.mantis.collector.processor.memorylimiter;

import io.mantis.common.config.ConfigValueException;
import java.time.Duration;

/**
 * The {@code memory_limiter} processor's config, as in the collector. The limits apply to the JVM
 * heap in use: {@code limit_mib} absolutely, or {@code limit_percentage} of the maximum heap
 * ({@code -Xmx}). There are no defaults, since {@code check_interval} and a limit are required
 * (the factory's {@code defaultConfig()} is null).
 *
 * @param checkInterval how often heap use is measured; required, greater than zero
 * @param limitMib the hard limit in MiB
 * @param spikeLimitMib headroom below the hard limit: data is refused above limit - spike (the soft
 *     limit); 0 means 20% of the limit
 * @param limitPercentage the hard limit as a percentage of the maximum heap, when limit_mib is 0
 * @param spikeLimitPercentage the spike as a percentage of the maximum heap; 0 means 20% of the limit
 * @param minGcIntervalWhenSoftLimited the least time between two forced GCs on crossing the soft limit
 * @param minGcIntervalWhenHardLimited the least time between two forced GCs above the hard limit
 */
public record MemoryLimiterConfig(Duration checkInterval, Integer limitMib, Integer spikeLimitMib,
                                  Integer limitPercentage, Integer spikeLimitPercentage,
                                  Duration minGcIntervalWhenSoftLimited, Duration minGcIntervalWhenHardLimited) {

    public MemoryLimiterConfig {
        if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new ConfigValueException("check_interval", "must be greater than zero");
        }
        limitMib = notNegative("limit_mib", limitMib);
        spikeLimitMib = notNegative("spike_limit_mib", spikeLimitMib);
        limitPercentage = notNegative("limit_percentage", limitPercentage);
        spikeLimitPercentage = notNegative("spike_limit_percentage", spikeLimitPercentage);
        if (limitMib == 0 && limitPercentage == 0) {
            throw new ConfigValueException("limit_mib", "'limit_mib' or 'limit_percentage' must be greater than zero");
        }
        if (limitPercentage > 100) {
            throw new ConfigValueException("limit_percentage", "must be at most 100, got " + limitPercentage);
        }
        if (spikeLimitPercentage > 100) {
            throw new ConfigValueException("spike_limit_percentage", "must be at most 100, got "
                    + spikeLimitPercentage);
        }
        if (limitMib > 0 && spikeLimitMib >= limitMib) {
            throw new ConfigValueException("spike_limit_mib", "must be smaller than limit_mib (" + limitMib
                    + "), got " + spikeLimitMib);
        }
        if (limitPercentage > 0 && spikeLimitPercentage >= limitPercentage) {
            throw new ConfigValueException("spike_limit_percentage", "must be smaller than limit_percentage ("
                    + limitPercentage + "), got " + spikeLimitPercentage);
        }
        minGcIntervalWhenSoftLimited = notNegative("min_gc_interval_when_soft_limited",
                minGcIntervalWhenSoftLimited, Duration.ofSeconds(10));
        minGcIntervalWhenHardLimited = notNegative("min_gc_interval_when_hard_limited",
                minGcIntervalWhenHardLimited, Duration.ZERO);
    }

    private static int notNegative(String key, Integer v) {
        if (v == null) {
            return 0;
        }
        if (v < 0) {
            throw new ConfigValueException(key, "must not be negative, got " + v);
        }
        return v;
    }

    private static Duration notNegative(String key, Duration v, Duration dflt) {
        if (v == null) {
            return dflt;
        }
        if (v.isNegative()) {
            throw new ConfigValueException(key, "must not be negative");
        }
        return v;
    }

    /** The hard limit in bytes, for a heap that may grow to {@code maxHeap} bytes. */
    long limitBytes(long maxHeap) {
        return limitMib > 0 ? limitMib * MIB : maxHeap / 100 * limitPercentage;
    }

    /** The spike in bytes: given, or 20% of the hard limit, as in the collector. */
    long spikeBytes(long maxHeap) {
        long spike = limitMib > 0 ? spikeLimitMib * MIB : maxHeap / 100 * spikeLimitPercentage;
        return spike > 0 ? spike : limitBytes(maxHeap) / 5;
    }

    static final long MIB = 1024L * 1024L;
}
