package io.mantis.metrics.ingest;

import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf wire-format reading over a byte array without objects: the cursor is a position the
 * caller keeps, results of multi-value reads go to {@link #pos}. Used by the remote-write fast path,
 * which must look at every sample of every request; anything unusual is left to the full decoder.
 */
final class WireScan {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] buf;
    private final int end;
    int pos;

    WireScan(byte[] buf, int pos, int end) {
        this.buf = buf;
        this.pos = pos;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    long varint() throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw truncated();
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IOException("malformed varint in the write request");
    }

    int length() throws IOException {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw truncated();
        }
        return (int) n;
    }

    double fixed64Double() throws IOException {
        if (end - pos < 8) {
            throw truncated();
        }
        long bits = (long) LONGS.get(buf, pos);
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    /** Skips the value of a field with this wire type. */
    void skip(int wireType) throws IOException {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LEN -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IOException("unsupported protobuf wire type " + wireType + " in the write request");
        }
    }

    private void advance(int n) throws IOException {
        if (end - pos < n) {
            throw truncated();
        }
        pos += n;
    }

    private static IOException truncated() {
        return new IOException("truncated or malformed protobuf in the write request");
    }

    /** A 64-bit hash of {@code b[from, to)}: eight bytes per step, then a final avalanche. */
    static long hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long k = (long) LONGS.get(b, i) * 0x87C37B91114253D5L;
            h ^= Long.rotateLeft(k, 31) * 0x4CF5AD432745937FL;
            h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729;
        }
        long k = 0;
        for (int s = 0; i < to; i++, s += 8) {
            k |= (b[i] & 0xFFL) << s;
        }
        h ^= Long.rotateLeft(k * 0x87C37B91114253D5L, 31) * 0x4CF5AD432745937FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * Whether the {@code Label} fields in {@code b[from, to)} are exactly {@code labels}, pair by
     * pair in order. Senders that do not sort labels, or send empty values, never match: their
     * series then take the full decoding path, which normalises.
     */
    static boolean sameLabels(byte[] b, int from, int to, Labels labels) throws IOException {
        WireScan s = new WireScan(b, from, to);
        int i = 0;
        int n = labels.size();
        while (s.hasMore()) {
            long tag = s.varint();
            if ((tag & 7) != LEN || (tag >>> 3) != 1) {
                return false;
            }
            int len = s.length();
            int labelEnd = s.pos + len;
            if (i == n) {
                return false;
            }
            int nameAt = -1;
            int nameLen = 0;
            int valueAt = -1;
            int valueLen = 0;
            while (s.pos < labelEnd) {
                long t = s.varint();
                if ((t & 7) != LEN) {
                    return false;
                }
                int l = s.length();
                if ((t >>> 3) == 1) {
                    nameAt = s.pos;
                    nameLen = l;
                } else if ((t >>> 3) == 2) {
                    valueAt = s.pos;
                    valueLen = l;
                } else {
                    return false;
                }
                s.pos += l;
            }
            if (s.pos != labelEnd || nameAt < 0 || valueAt < 0
                    || !equal(b, nameAt, nameLen, labels.name(i))
                    || !equal(b, valueAt, valueLen, labels.value(i))) {
                return false;
            }
            i++;
        }
        return i == n;
    }

    /** UTF-8 bytes against a string, without decoding when the bytes are ASCII. */
    private static boolean equal(byte[] b, int at, int len, String s) {
        if (s.length() == len) {
            boolean ascii = true;
            for (int i = 0; i < len; i++) {
                byte c = b[at + i];
                if (c < 0) {
                    ascii = false;
                    break;
                }
                if (c != s.charAt(i)) {
                    return false;
                }
            }
            if (ascii) {
                return true;
            }
        }
        for (int i = 0; i < len; i++) {
            if (b[at + i] < 0) {
                return new String(b, at, len, StandardCharsets.UTF_8).equals(s);
            }
        }
        return false;
    }
}
