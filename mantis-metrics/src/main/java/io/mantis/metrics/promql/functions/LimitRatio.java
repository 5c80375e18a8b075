package io.mantis.metrics.promql.functions;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The deterministic sampling of {@code limit_ratio}: a series is kept when its label hash, as a
 * fraction of the 64-bit range, is below the ratio (or, for a negative ratio, at least
 * {@code 1 + ratio}), so {@code limit_ratio(r)} and {@code limit_ratio(r - 1)} split the series
 * into complementary sets. The hash is XXH64 (seed 0) of the label pairs in name order, each
 * written as {@code name 0xFF value 0xFF}: Prometheus' canonical label-set hash.
 *
 * <p>Add labels with {@link #add} in name order, then read {@link #hash()}; reusable.
 */
public final class LimitRatio {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private byte[] buf = new byte[256];
    private int len;

    public LimitRatio reset() {
        len = 0;
        return this;
    }

    /** Appends one label; names must come in ascending order. */
    public LimitRatio add(String name, String value) {
        append(name);
        put((byte) 0xff);
        append(value);
        put((byte) 0xff);
        return this;
    }

    private void append(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put((byte) c);
            } else if (c < 0x800) {
                put((byte) (0xc0 | c >> 6));
                put((byte) (0x80 | c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put((byte) (0xf0 | cp >> 18));
                put((byte) (0x80 | cp >> 12 & 0x3f));
                put((byte) (0x80 | cp >> 6 & 0x3f));
                put((byte) (0x80 | cp & 0x3f));
            } else {
                // Lone surrogates become U+FFFD, as Go does when converting such strings.
                int cp = Character.isSurrogate(c) ? 0xfffd : c;
                put((byte) (0xe0 | cp >> 12));
                put((byte) (0x80 | cp >> 6 & 0x3f));
                put((byte) (0x80 | cp & 0x3f));
            }
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, len * 2);
        }
        buf[len++] = b;
    }

    /** XXH64 of the labels added since the last reset. */
    public long hash() {
        return xxh64(buf, 0, len);
    }

    /** The label hash as a fraction of the 64-bit range, in [0, 1]. */
    public static double offset(long hash) {
        double unsigned = hash >= 0 ? hash : ((hash >>> 1) | (hash & 1)) * 2.0;
        return unsigned / 18446744073709551615.0;
    }

    /** Whether a series with this label hash is kept by {@code limit_ratio(ratio)} (ratio already capped to [-1, 1]). */
    public static boolean keep(double ratio, long hash) {
        double offset = offset(hash);
        return ratio >= 0 && offset < ratio || ratio < 0 && offset >= 1.0 + ratio;
    }

    /** The ratio capped to [-1, 1], as limit_ratio applies it (with a warning when capping). */
    public static double cap(double ratio) {
        return Math.max(-1, Math.min(1, ratio));
    }

    /** XXH64 with seed 0. */
    public static long xxh64(byte[] b, int off, int length) {
        int p = off;
        int end = off + length;
        long h;
        if (length >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            int limit = end - 32;
            do {
                v1 = round(v1, le64(b, p));
                v2 = round(v2, le64(b, p + 8));
                v3 = round(v3, le64(b, p + 16));
                v4 = round(v4, le64(b, p + 24));
                p += 32;
            } while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += length;
        while (p + 8 <= end) {
            h ^= round(0, le64(b, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= (le32(b, p) & 0xffffffffL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (b[p] & 0xffL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    /** XXH64 of a string's UTF-8 bytes. */
    public static long xxh64(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return xxh64(b, 0, b.length);
    }

    private static long round(long acc, long lane) {
        acc += lane * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long v) {
        acc ^= round(0, v);
        return acc * P1 + P4;
    }

    private static long le64(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24
                | (b[p + 4] & 0xffL) << 32 | (b[p + 5] & 0xffL) << 40 | (b[p + 6] & 0xffL) << 48
                | (b[p + 7] & 0xffL) << 56;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }
}
