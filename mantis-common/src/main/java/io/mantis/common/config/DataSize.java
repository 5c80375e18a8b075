package io.mantis.common.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of bytes, written in configuration as {@code 512MiB}, {@code 1.5GB}, {@code 64KiB}.
 *
 * <p>Decimal units (KB, MB, GB, TB: powers of 1000) and binary units (KiB, MiB, GiB, TiB: powers
 * of 1024) mean what their standards say; units are matched case-insensitively. As with
 * durations, a bare number other than 0 is rejected instead of guessing a unit.
 *
 * @param bytes a non-negative number of bytes
 */
public record DataSize(long bytes) implements Comparable<DataSize> {

    /** What the binder says it expected; also the start of every parse error. */
    static final String EXPECTED = "a size like 512MiB";

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;

    private static final Map<String, Long> UNITS = Map.of(
            "b", 1L,
            "kb", 1_000L, "kib", KIB,
            "mb", 1_000_000L, "mib", MIB,
            "gb", 1_000_000_000L, "gib", GIB,
            "tb", 1_000_000_000_000L, "tib", TIB);

    private record Unit(long size, String name) {
    }

    private static final List<Unit> DISPLAY_UNITS = List.of(
            new Unit(KIB, "KiB"), new Unit(MIB, "MiB"), new Unit(GIB, "GiB"), new Unit(TIB, "TiB"),
            new Unit(1_000L, "KB"), new Unit(1_000_000L, "MB"), new Unit(1_000_000_000L, "GB"),
            new Unit(1_000_000_000_000L, "TB"));

    private static final Pattern SYNTAX = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) ?([A-Za-z]+)");

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative, got " + bytes + " bytes");
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKibibytes(long kib) {
        return new DataSize(Math.multiplyExact(kib, KIB));
    }

    public static DataSize ofMebibytes(long mib) {
        return new DataSize(Math.multiplyExact(mib, MIB));
    }

    public static DataSize ofGibibytes(long gib) {
        return new DataSize(Math.multiplyExact(gib, GIB));
    }

    /**
     * Parses {@code <number><unit>} with an optional single space, e.g. {@code 512MiB},
     * {@code 1.5 GB}, or {@code 0}. Fractions of a byte are dropped.
     *
     * @throws IllegalArgumentException with a message starting "expected a size like 512MiB"
     */
    public static DataSize parse(String text) {
        if (text.equals("0")) {
            return new DataSize(0);
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            boolean bareNumber = text.matches("[0-9]+(\\.[0-9]+)?");
            throw invalid(text, bareNumber ? "missing unit: use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB"
                    : null);
        }
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw invalid(text, "unknown unit '" + m.group(2)
                    + "': use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB");
        }
        BigInteger bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).toBigInteger();
        if (bytes.bitLength() > 63) {
            throw invalid(text, "too large");
        }
        return new DataSize(bytes.longValueExact());
    }

    public long toKibibytes() {
        return bytes / KIB;
    }

    public long toMebibytes() {
        return bytes / MIB;
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /**
     * The size in the largest unit, decimal or binary, that divides it exactly: "512MiB", "2GB",
     * "1500B", "0B". It parses back to the same size.
     */
    @Override
    public String toString() {
        if (bytes == 0) {
            return "0B";
        }
        Unit best = new Unit(1, "B");
        for (Unit unit : DISPLAY_UNITS) {
            if (bytes % unit.size() == 0 && unit.size() > best.size()) {
                best = unit;
            }
        }
        return bytes / best.size() + best.name();
    }

    private static IllegalArgumentException invalid(String text, String hint) {
        return new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'"
                + (hint == null ? "" : " (" + hint + ")"));
    }
}
