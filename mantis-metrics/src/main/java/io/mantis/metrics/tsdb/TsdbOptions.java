package io.mantis.metrics.tsdb;

import io.mantis.common.wal.WalConfig;
import io.mantis.metrics.tsdb.head.HeadOptions;
import java.time.Duration;

/**
 * Tuning of the whole store.
 *
 * @param retentionTime  blocks older than this (behind the newest sample) are deleted; zero keeps all
 * @param retentionBytes blocks are deleted oldest first while the store is larger; zero: no limit
 * @param head           head tuning (block range, out-of-order window, chunk size, exemplars)
 * @param wal            write-ahead log tuning (segment size, fsync policy)
 * @param blockChunkEncoding how float samples are stored in blocks written from now on
 */
public record TsdbOptions(Duration retentionTime, long retentionBytes, HeadOptions head, WalConfig wal,
                          BlockChunkEncoding blockChunkEncoding) {

    /** Options with the default block chunk encoding, {@link BlockChunkEncoding#DECIMAL}. */
    public TsdbOptions(Duration retentionTime, long retentionBytes, HeadOptions head, WalConfig wal) {
        this(retentionTime, retentionBytes, head, wal, BlockChunkEncoding.DECIMAL);
    }

    public TsdbOptions {
        if (blockChunkEncoding == null) {
            throw new IllegalArgumentException("block chunk encoding must be set");
        }
        if (retentionTime.isNegative()) {
            throw new IllegalArgumentException("retention time must not be negative");
        }
        if (retentionBytes < 0) {
            throw new IllegalArgumentException("retention size must not be negative");
        }
    }

    public static TsdbOptions defaults() {
        return new TsdbOptions(Duration.ofDays(15), 0, HeadOptions.defaults(), WalConfig.DEFAULTS);
    }

    public TsdbOptions withHead(HeadOptions h) {
        return new TsdbOptions(retentionTime, retentionBytes, h, wal, blockChunkEncoding);
    }

    public TsdbOptions withWal(WalConfig w) {
        return new TsdbOptions(retentionTime, retentionBytes, head, w, blockChunkEncoding);
    }

    public TsdbOptions withRetention(Duration time, long bytes) {
        return new TsdbOptions(time, bytes, head, wal, blockChunkEncoding);
    }

    public TsdbOptions withBlockChunkEncoding(BlockChunkEncoding e) {
        return new TsdbOptions(retentionTime, retentionBytes, head, wal, e);
    }

    /** Retention as Prometheus prints it in runtime info ("15d", "12h", "15d or 10GiB"). */
    public String retentionText() {
        String t = retentionTime.isZero() ? "" : durationText(retentionTime);
        String s = retentionBytes == 0 ? "" : bytesText(retentionBytes);
        if (t.isEmpty() && s.isEmpty()) {
            return "unlimited";
        }
        return t.isEmpty() ? s : s.isEmpty() ? t : t + " or " + s;
    }

    private static String durationText(Duration d) {
        long ms = d.toMillis();
        long[] units = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
        String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < units.length; i++) {
            // like Prometheus: years and weeks only when exact ("90d" reads better than "12w6d")
            if (i < 2 && ms % units[i] != 0) {
                continue;
            }
            if (ms >= units[i]) {
                sb.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return sb.isEmpty() ? "0s" : sb.toString();
    }

    private static String bytesText(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        double v = b;
        while (v >= 1024 && u < units.length - 1 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return (long) v + units[u];
    }
}
