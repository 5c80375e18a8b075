package io.mantis.metrics.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a bit stream from a byte array or a (possibly memory-mapped) buffer without copying it,
 * eight bytes at a time into a left-aligned window.
 */
final class BitReader {
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] array;
    private ByteBuffer buffer;
    private int start;
    private int pos;
    private int end;
    private long window;
    private int valid;

    void reset(byte[] a, int from, int to) {
        array = a;
        buffer = null;
        start = from;
        pos = from;
        end = to;
        window = 0;
        valid = 0;
    }

    void reset(ByteBuffer b, int from, int to) {
        array = null;
        buffer = b;
        start = from;
        pos = from;
        end = to;
        window = 0;
        valid = 0;
    }

    /** Bits not yet consumed (including the zero padding of the last byte). */
    long bitsRemaining() {
        return (long) (end - pos) * 8 + valid;
    }

    /** Bits consumed since the start given to {@code reset}. */
    long bitsRead() {
        return (long) (pos - start) * 8 - valid;
    }

    private void refill() {
        int left = end - pos;
        if (left >= 8) {
            window = array != null ? (long) LONG_BE.get(array, pos) : buffer.getLong(pos);
            pos += 8;
            valid = 64;
        } else if (left > 0) {
            long w = 0;
            for (int i = 0; i < left; i++) {
                w = (w << 8) | (byteAt(pos + i) & 0xffL);
            }
            window = w << (64 - left * 8);
            pos += left;
            valid = left * 8;
        } else {
            throw new CorruptChunkException("chunk ends in the middle of a sample");
        }
    }

    private byte byteAt(int i) {
        return array != null ? array[i] : buffer.get(i);
    }

    boolean readBit() {
        if (valid == 0) {
            refill();
        }
        boolean one = window < 0;
        window <<= 1;
        valid--;
        return one;
    }

    /**
     * Reads a unary code: up to {@code max} (at most 8) one-bits, ended by a zero-bit that is
     * consumed unless {@code max} ones were read. Returns the number of ones. One step on the
     * window instead of a bit at a time: the control codes of XOR values and timestamp
     * delta-of-deltas are such codes.
     */
    int readOnes(int max) {
        if (valid > max) {
            int ones = Long.numberOfLeadingZeros(~window);
            if (ones >= max) {
                window <<= max;
                valid -= max;
                return max;
            }
            window <<= ones + 1;
            valid -= ones + 1;
            return ones;
        }
        int ones = 0;
        while (ones < max && readBit()) {
            ones++;
        }
        return ones;
    }

    /** Reads {@code n} bits (1 to 64) as an unsigned value. */
    long readBits(int n) {
        if (n <= valid) {
            long r = window >>> (64 - n);
            window = n == 64 ? 0 : window << n;
            valid -= n;
            return r;
        }
        long hi = valid == 0 ? 0 : window >>> (64 - valid);
        int need = n - valid;
        refill();
        if (need > valid) {
            throw new CorruptChunkException("chunk ends in the middle of a sample");
        }
        long lo = window >>> (64 - need);
        window = need == 64 ? 0 : window << need;
        valid -= need;
        return need == 64 ? lo : (hi << need) | lo;
    }

    int readByte() {
        return (int) readBits(8);
    }

    /** A LEB128 unsigned varint, read from the bit stream (byte-aligned in practice). */
    long readUvarint() {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            if (shift == 63 && b > 1) {
                throw new CorruptChunkException("varint overflows 64 bits");
            }
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptChunkException("varint longer than 10 bytes");
    }

    long readVarint() {
        long u = readUvarint();
        return (u >>> 1) ^ -(u & 1);
    }

    /** XOR window ({@code leading << 8 | trailing}) used and updated by {@link #readXor}. */
    int xorWindow;

    /** Reads a value XOR-encoded against {@code prev} (raw bits) with window {@link #xorWindow}. */
    long readXor(long prev) {
        int control = readOnes(2);
        if (control == 0) {
            return prev;
        }
        if (control == 2) {
            int fields = (int) readBits(11);
            int leading = fields >>> 6;
            int sig = fields & 0x3f;
            if (sig == 0) {
                sig = 64;
            }
            int trailing = 64 - leading - sig;
            if (trailing < 0) {
                throw new CorruptChunkException("XOR field with " + leading + " leading and " + sig
                        + " meaningful bits");
            }
            xorWindow = leading << 8 | trailing;
        }
        int trailing = xorWindow & 0xff;
        int meaningful = 64 - (xorWindow >>> 8) - trailing;
        return prev ^ (readBits(meaningful) << trailing);
    }
}
