package io.mantis.metrics.tsdb.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads the numbers and strings of a record payload, with bounds checks that name the problem. */
final class RecordInput {

    private ByteBuffer buf;
    private byte[] scratch = new byte[256];

    RecordInput reset(ByteBuffer record) {
        buf = record;
        return this;
    }

    boolean hasRemaining() {
        return buf.hasRemaining();
    }

    int getByte() {
        need(1);
        return buf.get() & 0xFF;
    }

    long getUvarint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            byte b = buf.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (shift == 63 && (b & 0x7F) > 1) {
                    throw new MalformedRecordException("varint overflows 64 bits");
                }
                return v;
            }
        }
        throw new MalformedRecordException("varint longer than 10 bytes");
    }

    long getVarint() {
        long u = getUvarint();
        return (u >>> 1) ^ -(u & 1);
    }

    /** A count of entries, each at least {@code minBytes} long, that must fit in what remains. */
    int getCount(int minBytes) {
        long n = getUvarint();
        if (n > buf.remaining() / Math.max(1, minBytes)) {
            throw new MalformedRecordException("count " + n + " does not fit in the " + buf.remaining()
                    + " bytes left");
        }
        return (int) n;
    }

    double getDouble() {
        need(8);
        long bits = buf.getLong();
        return Double.longBitsToDouble(buf.order() == ByteOrder.BIG_ENDIAN ? bits : Long.reverseBytes(bits));
    }

    String getString() {
        int len = getCount(1);
        if (len == 0) {
            return "";
        }
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), len, StandardCharsets.UTF_8);
            buf.position(buf.position() + len);
        } else {
            if (scratch.length < len) {
                scratch = new byte[Math.max(len, 2 * scratch.length)];
            }
            buf.get(scratch, 0, len);
            s = new String(scratch, 0, len, StandardCharsets.UTF_8);
        }
        return s;
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw new MalformedRecordException("record ends early at byte " + buf.position());
        }
    }
}
