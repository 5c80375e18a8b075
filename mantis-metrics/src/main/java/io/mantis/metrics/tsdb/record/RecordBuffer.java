package io.mantis.metrics.tsdb.record;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that records are encoded into, reused from record to record: once it
 * has grown to the largest record, encoding allocates nothing. Strings are written as UTF-8
 * straight from their chars, without an intermediate array.
 */
public final class RecordBuffer {

    private byte[] bytes;
    private int size;
    private ByteBuffer view;

    public RecordBuffer() {
        this(4096);
    }

    public RecordBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
        view = ByteBuffer.wrap(bytes);
    }

    /** Empties the buffer, keeping its capacity. */
    public RecordBuffer clear() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /**
     * The encoded record from position 0 to its size; the same view object each time until the
     * buffer grows, valid until the buffer is changed.
     */
    public ByteBuffer buffer() {
        view.clear();
        view.limit(size);
        return view;
    }

    /** A copy of the encoded bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            int capacity = Math.max(size + more, bytes.length * 2);
            bytes = Arrays.copyOf(bytes, capacity);
            view = ByteBuffer.wrap(bytes);
        }
    }

    /** The backing array (valid up to {@link #size()}); changes when the buffer grows. */
    byte[] array() {
        return bytes;
    }

    /** Makes room for {@code more} bytes after the current size. */
    void reserve(int more) {
        ensure(more);
    }

    /** Counts {@code n} bytes written straight into {@link #array()} after the current size. */
    void advance(int n) {
        size += n;
    }

    void putBytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, size, len);
        size += len;
    }

    void putByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void putUvarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    void putVarint(long v) {
        putUvarint((v << 1) ^ (v >> 63));
    }

    void putDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (bits >>> shift);
        }
    }

    /** Lone surrogates have no UTF-8 form; they are rejected rather than silently replaced. */
    void putString(String s) {
        int n = s.length();
        int utf8 = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                utf8++;
            } else if (c < 0x800) {
                utf8 += 2;
            } else if (!Character.isSurrogate(c)) {
                utf8 += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8 += 4;
                i++;
            } else {
                throw new IllegalArgumentException("string contains a lone surrogate at index " + i
                        + ", which UTF-8 cannot encode");
            }
        }
        putUvarint(utf8);
        ensure(utf8);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes[size++] = (byte) c;
            } else if (c < 0x800) {
                bytes[size++] = (byte) (0xC0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                bytes[size++] = (byte) (0xE0 | (c >> 12));
                bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes[size++] = (byte) (0xF0 | (cp >> 18));
                bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
    }
}
