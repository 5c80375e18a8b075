package io.mantis.metrics.tsdb.block;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * A ULID (docs/format/tsdb.md): 128 bits, a 48-bit millisecond time then 80 random bits, written
 * as 26 characters of Crockford base32. Ordered by value, which is the order of the text form and,
 * for ULIDs from one {@link Generator}, the order of creation. Immutable.
 */
public final class Ulid implements Comparable<Ulid> {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final byte[] DECODE = new byte[128];
    /** Greatest millisecond time that fits 48 bits. */
    public static final long MAX_TIME = (1L << 48) - 1;
    private static final Generator SHARED = new Generator(System::currentTimeMillis, new SecureRandom());

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
        }
    }

    /** Time (48 bits) and the top 16 random bits. */
    private final long hi;
    /** The low 64 random bits. */
    private final long lo;

    private Ulid(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** A ULID of the given time and 80 random bits (the top 16 in {@code randomHi}'s low bits). */
    public static Ulid of(long timeMillis, int randomHi16, long randomLo64) {
        if (timeMillis < 0 || timeMillis > MAX_TIME) {
            throw new IllegalArgumentException("ULID time " + timeMillis + " outside 48 bits");
        }
        return new Ulid(timeMillis << 16 | (randomHi16 & 0xffffL), randomLo64);
    }

    /** The next ULID of the process-wide monotonic generator (wall clock, secure random). */
    public static Ulid next() {
        return SHARED.next();
    }

    /**
     * Parses the 26-character text form, either case.
     *
     * @throws IllegalArgumentException if {@code s} is not a ULID
     */
    public static Ulid parse(String s) {
        if (!isValid(s)) {
            throw new IllegalArgumentException("not a ULID: \"" + s + "\"");
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 26; i++) {
            int v = DECODE[s.charAt(i)];
            // shift the 128-bit (hi, lo) left by 5 and add v; the top 2 of 130 bits are zero by isValid
            hi = hi << 5 | lo >>> 59;
            lo = lo << 5 | v;
        }
        return new Ulid(hi, lo);
    }

    /** Whether {@code s} is the text form of a ULID (26 base32 characters, first at most 7). */
    public static boolean isValid(String s) {
        if (s == null || s.length() != 26) {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            char c = s.charAt(i);
            if (c >= 128 || DECODE[c] < 0) {
                return false;
            }
        }
        return DECODE[s.charAt(0)] <= 7;
    }

    /** Creation time in Unix milliseconds. */
    public long timestamp() {
        return hi >>> 16;
    }

    @Override
    public int compareTo(Ulid o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ulid u && u.hi == hi && u.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    @Override
    public String toString() {
        char[] out = new char[26];
        long h = hi;
        long l = lo;
        for (int i = 25; i >= 0; i--) {
            out[i] = ALPHABET[(int) (l & 31)];
            l = l >>> 5 | h << 59;
            h >>>= 5;
        }
        return new String(out);
    }

    /** This ULID plus one, carrying into the time on overflow of the random part. */
    Ulid increment() {
        long l = lo + 1;
        long h = l == 0 ? hi + 1 : hi;
        return new Ulid(h, l);
    }

    /**
     * Makes ULIDs that strictly increase: within one millisecond, or while the clock is behind the
     * last ULID made, the next is the last plus one. Thread-safe.
     */
    public static final class Generator {
        private final LongSupplier clock;
        private final Random random;
        private Ulid last;

        public Generator(LongSupplier clockMillis, Random random) {
            this.clock = clockMillis;
            this.random = random;
        }

        public synchronized Ulid next() {
            long now = clock.getAsLong();
            Ulid u;
            if (last != null && now <= last.timestamp()) {
                u = last.increment();
            } else {
                u = of(now, random.nextInt(), random.nextLong());
            }
            last = u;
            return u;
        }
    }
}
