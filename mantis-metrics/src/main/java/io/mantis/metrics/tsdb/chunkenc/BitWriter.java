package io.mantis.metrics.tsdb.chunkenc;

import java.util.Arrays;

/**
 * A growable bit stream, most significant bit first. Bits once written never change (appends only
 * OR into the zero padding of the last byte), which is what lets an iterator read a prefix while
 * the owner appends. Growing replaces the array; old arrays stay valid for their readers.
 */
final class BitWriter {
    private byte[] buf;
    private long bitLen;

    BitWriter(int initialBytes, int headerBytes) {
        buf = new byte[Math.max(initialBytes, headerBytes)];
        bitLen = headerBytes * 8L;
    }

    /** Adopts {@code bytes} (owned from now on) of which the first {@code bits} bits are written. */
    BitWriter(byte[] bytes, long bits) {
        buf = bytes;
        bitLen = bits;
        int used = (int) ((bits + 7) >>> 3);
        // Bits past the end must be zero for OR-appends; a reader never relies on them.
        if ((bits & 7) != 0) {
            buf[used - 1] &= (byte) (0xff << (8 - (bits & 7)));
        }
        Arrays.fill(buf, used, buf.length, (byte) 0);
    }

    byte[] array() {
        return buf;
    }

    int byteLength() {
        return (int) ((bitLen + 7) >>> 3);
    }

    long bitLength() {
        return bitLen;
    }

    void putUint16(int pos, int v) {
        buf[pos] = (byte) (v >>> 8);
        buf[pos + 1] = (byte) v;
    }

    void putByte(int pos, int v) {
        buf[pos] = (byte) v;
    }

    void writeBit(boolean one) {
        int bytePos = (int) (bitLen >>> 3);
        ensure(bytePos + 1);
        if (one) {
            buf[bytePos] |= (byte) (0x80 >>> (bitLen & 7));
        }
        bitLen++;
    }

    /** Writes the low {@code n} bits of {@code v} (0 to 64), most significant first. */
    void writeBits(long v, int n) {
        if (n == 0) {
            return;
        }
        ensure((int) ((bitLen + n + 7) >>> 3));
        long left = v << (64 - n); // left-aligned
        int remaining = n;
        while (remaining > 0) {
            int bytePos = (int) (bitLen >>> 3);
            int free = 8 - (int) (bitLen & 7);
            int take = Math.min(free, remaining);
            int bits = (int) (left >>> (64 - take));
            buf[bytePos] |= (byte) (bits << (free - take));
            left <<= take;
            remaining -= take;
            bitLen += take;
        }
    }

    void writeByte(int b) {
        writeBits(b & 0xff, 8);
    }

    private void ensure(int bytes) {
        if (bytes > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(bytes, buf.length + (buf.length >>> 1) + 16));
        }
    }
}
