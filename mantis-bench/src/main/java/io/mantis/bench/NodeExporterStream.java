package io.mantis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xerial.snappy.Snappy;

/**
 * A deterministic stream of remote-write 1.0 requests that look like many hosts' node exporters
 * scraped every {@code interval}: per host 638 series of 252 metric names (CPU, memory,
 * disks, filesystems, network, netstat, Go runtime, per-collector scrape timings...), each with
 * the host's target labels ({@code instance}, {@code job}, {@code hostname}, {@code cluster},
 * {@code env}, {@code region}, {@code team}, {@code zone}) plus its own ({@code cpu}, {@code mode},
 * {@code device}...): 9 to 12 labels, 10 on average.
 *
 * <p>Values behave like the real ones, because that is what storage compression sees: counters
 * grow by varying steps (CPU seconds in hundredths, bytes in sectors, many error counters that
 * almost never move), gauges wander slowly on their own grid (memory in pages, loads in
 * hundredths), a quarter of the series never change, and a few (durations, clock offsets) are full
 * precision noise.
 *
 * <p>Every value is a pure function of (series, round), so any round can be encoded at any time,
 * in any order, by any thread, and every server of a run receives byte-identical requests. A round
 * is one scrape of every series at {@code start + round * interval}.
 *
 * <p>Requests are written directly in protobuf wire format from per-series label bytes built
 * once, then snappy-compressed: encoding costs far less than what a server spends storing it.
 * Thread-safe: {@link #encode} keeps its buffers in the caller's {@link Encoder}.
 */
public final class NodeExporterStream {

    /** How a template series' value changes from round to round. */
    enum Model {
        /** {@code a + step * floor(u * b)}, u fixed per series: the same every round. */
        CONST,
        /** Monotonic: grows by {@code a} (scaled per series between 0.25x and 1.75x) per round on average, in units of {@code step}. */
        COUNTER,
        /** A slow wave around {@code a} (scaled per series) with amplitude {@code b}, plus noise, on a grid of {@code step}. */
        GAUGE,
        /** Uniform in [a, b) each round at full double precision (durations, offsets). */
        NOISE,
        /** The scrape timestamp in seconds plus a few milliseconds of jitter (node_time_seconds). */
        CLOCK,
        /**
         * One cumulative bucket (or {@code _count}) of a classic histogram: observations at
         * {@code a} per round (scaled per host and histogram), of which the fraction {@code b}
         * fall at or below the bucket's bound; {@code step} names the histogram within the host,
         * so that every bucket of one histogram shares its seed and the buckets stay cumulative.
         */
        BUCKET
    }

    /** One series of the per-host template. */
    record TemplateSeries(String name, String[] labels, Model model, double a, double b, double step) {
    }

    /** Target labels every series of a host carries, in sorted order of names. */
    static final String[] HOST_LABELS = {"cluster", "env", "hostname", "instance", "job", "region", "team", "zone"};

    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"};
    private static final String[] TEAMS = {"platform", "payments", "search", "data", "web", "infra"};

    private final TemplateSeries[] template;
    private final int seriesCount;
    private final int hostCount;
    private final long startMillis;
    private final long intervalMillis;
    /** Per template series: its labels' protobuf field bytes in sorted order, host labels left null. */
    private final byte[][][] fixedLabelBytes;
    /** Per template series: for each label slot, the host label index, or -1 for a fixed label. */
    private final int[][] hostSlot;
    /** Per host and host label: the label's protobuf field bytes. */
    private final byte[][][] hostLabelBytes;

    /**
     * @param seriesCount    active series: whole hosts of the template, the last one partial
     * @param startMillis    timestamp of round 0
     * @param intervalMillis scrape interval: round r is at {@code startMillis + r * intervalMillis}
     */
    public NodeExporterStream(int seriesCount, long startMillis, long intervalMillis) {
        this(seriesCount, startMillis, intervalMillis, false);
    }

    /**
     * @param histograms whether each host also exposes a classic histogram
     *                   ({@code http_request_duration_seconds}, 3 handlers x 12 buckets plus
     *                   {@code _sum} and {@code _count}) for queries such as {@code histogram_quantile}
     */
    public NodeExporterStream(int seriesCount, long startMillis, long intervalMillis, boolean histograms) {
        if (seriesCount <= 0) {
            throw new IllegalArgumentException("seriesCount must be positive");
        }
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive");
        }
        this.template = template(histograms);
        this.seriesCount = seriesCount;
        this.hostCount = (seriesCount + template.length - 1) / template.length;
        this.startMillis = startMillis;
        this.intervalMillis = intervalMillis;
        this.fixedLabelBytes = new byte[template.length][][];
        this.hostSlot = new int[template.length][];
        for (int t = 0; t < template.length; t++) {
            prepareSlots(t);
        }
        this.hostLabelBytes = new byte[hostCount][HOST_LABELS.length][];
        for (int h = 0; h < hostCount; h++) {
            String[] values = hostLabelValues(h);
            for (int k = 0; k < HOST_LABELS.length; k++) {
                hostLabelBytes[h][k] = labelField(HOST_LABELS[k], values[k]);
            }
        }
    }

    // ------------------------------------------------------------------ shape

    public int seriesCount() {
        return seriesCount;
    }

    public int hostCount() {
        return hostCount;
    }

    /** How many of the stream's series carry the metric name {@code name}. */
    public int countSeries(String name) {
        int n = 0;
        for (int i = 0; i < template.length; i++) {
            if (template[i].name().equals(name)) {
                int full = seriesCount / template.length;
                n += full + (i < seriesCount % template.length ? 1 : 0);
            }
        }
        return n;
    }

    /** Series per host. */
    public int templateSize() {
        return template.length;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public long timestamp(int round) {
        return startMillis + round * intervalMillis;
    }

    /** A one-line description of the series shape, for run reports. */
    public String describe() {
        Set<String> names = new HashSet<>();
        int[] byModel = new int[Model.values().length];
        int labels = 0;
        for (TemplateSeries t : template) {
            names.add(t.name());
            byModel[t.model().ordinal()]++;
            labels += 1 + HOST_LABELS.length + t.labels().length / 2;
        }
        return String.format(Locale.ROOT, "%d series = %d hosts x %d series (%d metric names, %.1f labels per series;"
                        + " %.0f%% constant, %.0f%% counters, %.0f%% gauges, %.0f%% noise)", seriesCount, hostCount,
                template.length, names.size(), (double) labels / template.length,
                100.0 * byModel[Model.CONST.ordinal()] / template.length,
                100.0 * (byModel[Model.COUNTER.ordinal()] + byModel[Model.BUCKET.ordinal()]) / template.length,
                100.0 * byModel[Model.GAUGE.ordinal()] / template.length,
                100.0 * (byModel[Model.NOISE.ordinal()] + byModel[Model.CLOCK.ordinal()]) / template.length);
    }

    /** The label names and values of a series, sorted by name, as name, value, name, value... */
    public String[] labels(int series) {
        checkSeries(series);
        TemplateSeries t = template[series % template.length];
        String[] host = hostLabelValues(series / template.length);
        List<String[]> pairs = new ArrayList<>();
        pairs.add(new String[] {"__name__", t.name()});
        for (int k = 0; k < HOST_LABELS.length; k++) {
            pairs.add(new String[] {HOST_LABELS[k], host[k]});
        }
        for (int i = 0; i < t.labels().length; i += 2) {
            pairs.add(new String[] {t.labels()[i], t.labels()[i + 1]});
        }
        pairs.sort(Comparator.comparing(p -> p[0]));
        String[] out = new String[pairs.size() * 2];
        for (int i = 0; i < pairs.size(); i++) {
            out[2 * i] = pairs.get(i)[0];
            out[2 * i + 1] = pairs.get(i)[1];
        }
        return out;
    }

    /** The value model of {@code series} (CONST, COUNTER, GAUGE, NOISE, CLOCK or BUCKET), for per-model reports. */
    public String modelName(int series) {
        checkSeries(series);
        return template[series % template.length].model().name();
    }

    /** The value of {@code series} at {@code round}. */
    public double value(int series, int round) {
        checkSeries(series);
        TemplateSeries t = template[series % template.length];
        long seed = mix(series * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
        double fixed = unit(seed);
        switch (t.model()) {
            case CONST -> {
                return t.a() + t.step() * Math.floor(fixed * t.b());
            }
            case COUNTER -> {
                if (t.a() == 0) {
                    return 0;
                }
                double rate = t.a() * (0.25 + 1.5 * fixed);
                // Counters started when the host booted, days before round 0.
                long uptime = 8_640 + (long) (unit(mix(seed + 1)) * 200_000);
                double wobble = unit(mix(seed ^ (round * 0xBF58476D1CE4E5B9L + 7)));
                long n = (long) Math.floor(rate * (uptime + round + wobble));
                return onGrid(n, t.step());
            }
            case GAUGE -> {
                double centre = t.a() * (0.5 + fixed);
                double period = 60 + Math.floor(unit(mix(seed + 2)) * 600);
                double phase = unit(mix(seed + 3));
                double noise = unit(mix(seed ^ (round * 0xBF58476D1CE4E5B9L + 11))) - 0.5;
                double x = centre + t.b() * Math.sin(2 * Math.PI * (round / period + phase)) + 0.1 * t.b() * noise;
                return quantize(Math.max(0, x), t.step());
            }
            case NOISE -> {
                double u = unit(mix(seed ^ (round * 0xBF58476D1CE4E5B9L + 13)));
                return t.a() + (t.b() - t.a()) * u;
            }
            case CLOCK -> {
                double u = unit(mix(seed ^ (round * 0xBF58476D1CE4E5B9L + 17)));
                return timestamp(round) / 1000.0 + 0.002 + 0.004 * u;
            }
            case BUCKET -> {
                // Seeded per host and histogram (not per series), so floor(rate * cdf * x) is
                // monotonic in the bucket bound within a round.
                long hseed = mix((series / template.length) * 0x9E3779B97F4A7C15L + (long) t.step() + 0x1234567L);
                double rate = t.a() * (0.25 + 1.5 * unit(hseed));
                long uptime = 8_640 + (long) (unit(mix(hseed + 1)) * 200_000);
                double wobble = unit(mix(hseed ^ (round * 0xBF58476D1CE4E5B9L + 19)));
                return Math.floor(rate * t.b() * (uptime + round + wobble));
            }
            default -> throw new IllegalStateException();
        }
    }

    private void checkSeries(int series) {
        if (series < 0 || series >= seriesCount) {
            throw new IndexOutOfBoundsException("series " + series + " of " + seriesCount);
        }
    }

    /** {@code n} units of {@code step}, as the nearest double to the decimal a exporter would print. */
    private static double onGrid(long n, double step) {
        if (step >= 1) {
            return n * step;
        }
        return n / Math.rint(1 / step);
    }

    private static double quantize(double x, double step) {
        if (step == 0) {
            return x;
        }
        if (step >= 1) {
            return Math.rint(x / step) * step;
        }
        double inv = Math.rint(1 / step);
        return Math.rint(x * inv) / inv;
    }

    /** SplitMix64's finaliser: a good 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A double in [0, 1) from the top 53 bits. */
    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    private static String[] hostLabelValues(int h) {
        int region = h % REGIONS.length;
        return new String[] {
            String.format(Locale.ROOT, "k8s-%s-%02d", REGIONS[region], (h / REGIONS.length) % 8),
            h % 10 < 7 ? "prod" : h % 10 < 9 ? "staging" : "dev",
            String.format(Locale.ROOT, "ip-10-%d-%d-%d", (h >> 16) & 255, (h >> 8) & 255, h & 255),
            String.format(Locale.ROOT, "10.%d.%d.%d:9100", (h >> 16) & 255, (h >> 8) & 255, h & 255),
            "node",
            REGIONS[region],
            TEAMS[(h / 7) % TEAMS.length],
            REGIONS[region] + (char) ('a' + (h / 3) % 3),
        };
    }

    // ------------------------------------------------------------------ encoding

    /** Reusable buffers of one encoding thread. */
    public static final class Encoder {
        private byte[] proto = new byte[1 << 20];
        private byte[] snappy = new byte[0];
    }

    /**
     * The snappy-compressed remote-write body with one sample at round {@code round} for each
     * series in {@code [from, to)}.
     */
    public byte[] encode(Encoder enc, int round, int from, int to) {
        if (from < 0 || to > seriesCount || from >= to) {
            throw new IndexOutOfBoundsException("series [" + from + ", " + to + ") of " + seriesCount);
        }
        long ts = timestamp(round);
        int sampleLen = 1 + 8 + 1 + varintSize(ts);
        int pos = 0;
        for (int s = from; s < to; s++) {
            int t = s % template.length;
            byte[][] host = hostLabelBytes[s / template.length];
            byte[][] fixed = fixedLabelBytes[t];
            int[] slots = hostSlot[t];
            int labelsLen = 0;
            for (int i = 0; i < slots.length; i++) {
                labelsLen += slots[i] < 0 ? fixed[i].length : host[slots[i]].length;
            }
            int bodyLen = labelsLen + 1 + varintSize(sampleLen) + sampleLen;
            int need = pos + 1 + 5 + bodyLen;
            if (need > enc.proto.length) {
                enc.proto = Arrays.copyOf(enc.proto, Math.max(need, enc.proto.length * 2));
            }
            byte[] b = enc.proto;
            b[pos++] = 0x0A; // WriteRequest.timeseries = 1, length-delimited
            pos = writeVarint(b, pos, bodyLen);
            for (int i = 0; i < slots.length; i++) {
                byte[] l = slots[i] < 0 ? fixed[i] : host[slots[i]];
                System.arraycopy(l, 0, b, pos, l.length);
                pos += l.length;
            }
            b[pos++] = 0x12; // TimeSeries.samples = 2, length-delimited
            pos = writeVarint(b, pos, sampleLen);
            b[pos++] = 0x09; // Sample.value = 1, fixed64
            long bits = Double.doubleToRawLongBits(value(s, round));
            for (int i = 0; i < 8; i++) {
                b[pos++] = (byte) (bits >>> (8 * i));
            }
            b[pos++] = 0x10; // Sample.timestamp = 2, varint
            pos = writeVarint(b, pos, ts);
        }
        try {
            int max = Snappy.maxCompressedLength(pos);
            if (enc.snappy.length < max) {
                enc.snappy = new byte[max];
            }
            int n = Snappy.rawCompress(enc.proto, 0, pos, enc.snappy, 0);
            return Arrays.copyOf(enc.snappy, n);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    private void prepareSlots(int t) {
        TemplateSeries ts = template[t];
        List<String> names = new ArrayList<>();
        names.add("__name__");
        names.addAll(List.of(HOST_LABELS));
        for (int i = 0; i < ts.labels().length; i += 2) {
            names.add(ts.labels()[i]);
        }
        names.sort(null);
        fixedLabelBytes[t] = new byte[names.size()][];
        hostSlot[t] = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int k = Arrays.asList(HOST_LABELS).indexOf(name);
            hostSlot[t][i] = k;
            if (k < 0) {
                String value = name.equals("__name__") ? ts.name() : labelValue(ts.labels(), name);
                fixedLabelBytes[t][i] = labelField(name, value);
            }
        }
    }

    private static String labelValue(String[] pairs, String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** {@code TimeSeries.labels} field bytes: tag, length, then a Label message (name = 1, value = 2). */
    private static byte[] labelField(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        int msgLen = 1 + varintSize(n.length) + n.length + 1 + varintSize(v.length) + v.length;
        byte[] out = new byte[1 + varintSize(msgLen) + msgLen];
        int pos = 0;
        out[pos++] = 0x0A;
        pos = writeVarint(out, pos, msgLen);
        out[pos++] = 0x0A;
        pos = writeVarint(out, pos, n.length);
        System.arraycopy(n, 0, out, pos, n.length);
        pos += n.length;
        out[pos++] = 0x12;
        pos = writeVarint(out, pos, v.length);
        System.arraycopy(v, 0, out, pos, v.length);
        return out;
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int writeVarint(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    // ------------------------------------------------------------------ template

    private static final class TemplateBuilder {
        final List<TemplateSeries> out = new ArrayList<>();

        void add(String name, Model model, double a, double b, double step, String... labels) {
            out.add(new TemplateSeries(name, labels, model, a, b, step));
        }

        void constant(String name, double value, String... labels) {
            add(name, Model.CONST, value, 0, 0, labels);
        }

        void counter(String name, double perRound, double step, String... labels) {
            add(name, Model.COUNTER, perRound, 0, step, labels);
        }

        void gauge(String name, double centre, double amplitude, double step, String... labels) {
            add(name, Model.GAUGE, centre, amplitude, step, labels);
        }
    }

    static TemplateSeries[] template() {
        return template(false);
    }

    static TemplateSeries[] template(boolean histograms) {
        TemplateBuilder t = new TemplateBuilder();
        String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
        double[] modeRate = {780, 4, 0, 0.2, 3, 0.8, 45, 160};
        for (int cpu = 0; cpu < 8; cpu++) {
            String c = Integer.toString(cpu);
            for (int m = 0; m < modes.length; m++) {
                t.counter("node_cpu_seconds_total", modeRate[m], 0.01, "cpu", c, "mode", modes[m]);
            }
            t.constant("node_cpu_guest_seconds_total", 0, "cpu", c, "mode", "nice");
            t.constant("node_cpu_guest_seconds_total", 0, "cpu", c, "mode", "user");
            t.gauge("node_cpu_scaling_frequency_hertz", 2.4e9, 6e8, 1e3, "cpu", c);
            t.constant("node_cpu_scaling_frequency_max_hertz", 3.5e9, "cpu", c);
            t.constant("node_cpu_scaling_frequency_min_hertz", 8e8, "cpu", c);
            t.counter("node_softnet_processed_total", 900, 1, "cpu", c);
            t.counter("node_softnet_dropped_total", 0, 1, "cpu", c);
            t.counter("node_softnet_times_squeezed_total", 0.05, 1, "cpu", c);
        }
        String[] memGauges = {"MemFree", "MemAvailable", "Buffers", "Cached", "Active", "Inactive", "Active_anon",
            "Inactive_anon", "Active_file", "Inactive_file", "AnonPages", "Mapped", "Shmem", "Slab", "SReclaimable",
            "SUnreclaim", "KReclaimable", "KernelStack", "PageTables", "Dirty", "Writeback", "Committed_AS",
            "AnonHugePages", "VmallocUsed", "Percpu"};
        for (int i = 0; i < memGauges.length; i++) {
            double centre = 1e8 * (1 + (i * 7) % 40);
            t.gauge("node_memory_" + memGauges[i] + "_bytes", centre, centre * 0.05, 4096);
        }
        String[] memZero = {"SwapTotal", "SwapFree", "SwapCached", "Hugetlb", "Bounce", "NFS_Unstable", "WritebackTmp",
            "VmallocChunk", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages", "FilePmdMapped", "Zswap", "Zswapped"};
        for (String m : memZero) {
            t.constant("node_memory_" + m + "_bytes", 0);
        }
        t.add("node_memory_MemTotal_bytes", Model.CONST, 8L << 30, 8, 8L << 30);
        t.add("node_memory_CommitLimit_bytes", Model.CONST, 4L << 30, 8, 4L << 30);
        t.constant("node_memory_Mlocked_bytes", 12288);
        t.constant("node_memory_Unevictable_bytes", 1.2288e4);
        t.constant("node_memory_VmallocTotal_bytes", 3.5184372087808e13);
        t.constant("node_memory_DirectMap4k_bytes", 2.18103808e8);
        t.add("node_memory_DirectMap2M_bytes", Model.CONST, 8.3886080e9, 8, 1L << 30);
        t.constant("node_memory_DirectMap1G_bytes", 0);
        t.constant("node_memory_HugePages_Total", 0);
        t.constant("node_memory_HugePages_Free", 0);
        t.constant("node_memory_HugePages_Rsvd", 0);
        t.constant("node_memory_HugePages_Surp", 0);
        t.constant("node_memory_Hugepagesize_bytes", 2097152);

        for (String d : new String[] {"sda", "sdb", "nvme0n1", "dm-0"}) {
            t.counter("node_disk_reads_completed_total", 50, 1, "device", d);
            t.counter("node_disk_reads_merged_total", 5, 1, "device", d);
            t.counter("node_disk_read_bytes_total", 2e6, 512, "device", d);
            t.counter("node_disk_read_time_seconds_total", 0.5, 0.001, "device", d);
            t.counter("node_disk_writes_completed_total", 200, 1, "device", d);
            t.counter("node_disk_writes_merged_total", 60, 1, "device", d);
            t.counter("node_disk_written_bytes_total", 8e6, 512, "device", d);
            t.counter("node_disk_write_time_seconds_total", 2, 0.001, "device", d);
            t.counter("node_disk_io_time_seconds_total", 1.5, 0.001, "device", d);
            t.counter("node_disk_io_time_weighted_seconds_total", 3, 0.001, "device", d);
            t.counter("node_disk_discards_completed_total", 0.5, 1, "device", d);
            t.counter("node_disk_discards_merged_total", 0.01, 1, "device", d);
            t.counter("node_disk_discarded_sectors_total", 1000, 1, "device", d);
            t.counter("node_disk_discard_time_seconds_total", 0.01, 0.001, "device", d);
            t.counter("node_disk_flush_requests_total", 10, 1, "device", d);
            t.counter("node_disk_flush_requests_time_seconds_total", 0.05, 0.001, "device", d);
            t.gauge("node_disk_io_now", 0.5, 1, 1, "device", d);
            t.constant("node_disk_info", 1, "device", d);
        }
        String[][] filesystems = {{"/dev/sda1", "ext4", "/"}, {"/dev/sda15", "vfat", "/boot/efi"},
            {"/dev/nvme0n1p1", "xfs", "/data"}, {"tmpfs", "tmpfs", "/run"}, {"tmpfs", "tmpfs", "/dev/shm"}};
        for (String[] fs : filesystems) {
            String[] l = {"device", fs[0], "fstype", fs[1], "mountpoint", fs[2]};
            t.gauge("node_filesystem_avail_bytes", 5e10, 1e9, 4096, l);
            t.gauge("node_filesystem_free_bytes", 5.5e10, 1e9, 4096, l);
            t.add("node_filesystem_size_bytes", Model.CONST, 1e11, 10, 1e10, l);
            t.add("node_filesystem_files", Model.CONST, 6.5536e6, 10, 6.5536e5, l);
            t.gauge("node_filesystem_files_free", 6e6, 1e4, 1, l);
            t.constant("node_filesystem_readonly", 0, l);
            t.constant("node_filesystem_device_error", 0, l);
        }
        String[] netCounters = {"receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo",
            "receive_frame", "receive_compressed", "receive_multicast", "receive_nohandler", "transmit_bytes",
            "transmit_packets", "transmit_errs", "transmit_drop", "transmit_fifo", "transmit_colls",
            "transmit_carrier", "transmit_compressed", "carrier_changes"};
        double[] netRates = {5e6, 5e3, 0.001, 0.01, 0, 0, 0, 1, 0, 4e6, 4e3, 0, 0.001, 0, 0, 0, 0, 0.0005};
        for (String d : new String[] {"eth0", "eth1", "lo", "docker0"}) {
            for (int i = 0; i < netCounters.length; i++) {
                t.counter("node_network_" + netCounters[i] + "_total", netRates[i], 1, "device", d);
            }
            t.constant("node_network_up", 1, "device", d);
            t.constant("node_network_mtu_bytes", d.equals("lo") ? 65536 : 1500, "device", d);
            t.constant("node_network_speed_bytes", 1.25e9, "device", d);
            t.constant("node_network_carrier", 1, "device", d);
            t.constant("node_network_info", 1, "device", d);
            t.constant("node_network_flags", 4099, "device", d);
            t.constant("node_network_iface_id", 2, "device", d);
            t.constant("node_network_protocol_type", 1, "device", d);
            t.constant("node_network_transmit_queue_length", 1000, "device", d);
            t.constant("node_network_dormant", 0, "device", d);
        }
        t.counter("node_vmstat_pgpgin", 2000, 1);
        t.counter("node_vmstat_pgpgout", 8000, 1);
        t.counter("node_vmstat_pswpin", 0, 1);
        t.counter("node_vmstat_pswpout", 0, 1);
        t.counter("node_vmstat_pgfault", 5e4, 1);
        t.counter("node_vmstat_pgmajfault", 2, 1);
        t.counter("node_vmstat_oom_kill", 0, 1);
        String[] netstat = {"Tcp_ActiveOpens", "Tcp_PassiveOpens", "Tcp_InSegs", "Tcp_OutSegs", "Tcp_RetransSegs",
            "Tcp_InErrs", "Tcp_OutRsts", "Udp_InDatagrams", "Udp_OutDatagrams", "Udp_InErrors", "Udp_NoPorts",
            "Udp_RcvbufErrors", "Udp_SndbufErrors", "Icmp_InMsgs", "Icmp_OutMsgs", "Icmp_InErrors", "IpExt_InOctets",
            "IpExt_OutOctets", "TcpExt_ListenOverflows", "TcpExt_ListenDrops", "TcpExt_SyncookiesSent",
            "TcpExt_TCPTimeouts", "TcpExt_TCPSynRetrans"};
        double[] netstatRates = {50, 80, 1e4, 1e4, 5, 0.01, 20, 100, 100, 0, 0.1, 0, 0, 1, 1, 0, 5e6, 4e6, 0, 0, 0, 1,
            0.2};
        for (int i = 0; i < netstat.length; i++) {
            t.counter("node_netstat_" + netstat[i], netstatRates[i], 1);
        }
        t.gauge("node_netstat_Tcp_CurrEstab", 200, 50, 1);
        t.constant("node_netstat_Ip_Forwarding", 1);
        t.gauge("node_sockstat_TCP_inuse", 150, 30, 1);
        t.gauge("node_sockstat_TCP_tw", 100, 40, 1);
        t.gauge("node_sockstat_TCP_alloc", 170, 30, 1);
        t.gauge("node_sockstat_TCP_orphan", 0.3, 1, 1);
        t.gauge("node_sockstat_TCP_mem", 20, 5, 1);
        t.gauge("node_sockstat_TCP_mem_bytes", 8e4, 2e4, 4096);
        t.gauge("node_sockstat_UDP_inuse", 5, 1, 1);
        t.gauge("node_sockstat_UDP_mem", 2, 1, 1);
        t.gauge("node_sockstat_UDP_mem_bytes", 8192, 4096, 4096);
        t.gauge("node_sockstat_sockets_used", 400, 50, 1);
        t.constant("node_sockstat_FRAG_inuse", 0);
        t.constant("node_sockstat_RAW_inuse", 0);
        t.gauge("node_load1", 1.5, 1, 0.01);
        t.gauge("node_load5", 1.5, 0.6, 0.01);
        t.gauge("node_load15", 1.5, 0.3, 0.01);
        t.gauge("node_procs_running", 2, 2, 1);
        t.gauge("node_procs_blocked", 0.2, 0.5, 1);
        t.counter("node_forks_total", 100, 1);
        t.counter("node_context_switches_total", 5e4, 1);
        t.counter("node_intr_total", 3e4, 1);
        t.add("node_boot_time_seconds", Model.CONST, 1.69e9, 1e6, 1);
        t.add("node_time_seconds", Model.CLOCK, 0, 0, 0);
        t.constant("node_time_zone_offset_seconds", 0, "time_zone", "UTC");
        t.constant("node_entropy_available_bits", 256);
        t.constant("node_entropy_pool_size_bits", 256);
        t.gauge("node_filefd_allocated", 3000, 300, 1);
        t.constant("node_filefd_maximum", 9.223372036854776e18);
        t.gauge("node_nf_conntrack_entries", 500, 100, 1);
        t.constant("node_nf_conntrack_entries_limit", 262144);
        t.constant("node_textfile_scrape_error", 0);
        t.constant("node_uname_info", 1, "machine", "x86_64", "release", "6.1.0-18-amd64", "sysname", "Linux");
        t.constant("node_os_info", 1, "id", "debian", "version_id", "12");
        t.constant("node_os_version", 12, "id", "debian");
        t.constant("node_exporter_build_info", 1, "goversion", "go1.19.8", "version", "1.5.0");
        t.constant("node_selinux_enabled", 0);
        t.gauge("node_arp_entries", 6, 2, 1, "device", "eth0");
        for (String p : new String[] {"cpu_waiting", "io_stalled", "io_waiting", "memory_stalled", "memory_waiting"}) {
            t.counter("node_pressure_" + p + "_seconds_total", p.startsWith("memory") ? 0.001 : 0.5, 1e-6);
        }
        t.add("node_timex_offset_seconds", Model.NOISE, -1e-4, 1e-4, 0);
        t.gauge("node_timex_frequency_adjustment_ratio", 1.00001, 1e-6, 0);
        t.gauge("node_timex_maxerror_seconds", 0.1, 0.05, 1e-6);
        t.gauge("node_timex_estimated_error_seconds", 0.001, 0.0005, 1e-6);
        t.constant("node_timex_status", 8193);
        t.constant("node_timex_sync_status", 1);
        t.constant("node_timex_tai_offset_seconds", 0);
        t.constant("node_timex_tick_seconds", 0.01);
        t.constant("node_timex_loop_time_constant", 7);
        for (String pps : new String[] {"calibration_total", "error_total", "frequency_hertz", "jitter_seconds",
            "jitter_total", "shift_seconds", "stability_exceeded_total", "stability_hertz"}) {
            t.constant("node_timex_pps_" + pps, 0);
        }
        for (int i = 0; i < 6; i++) {
            String[] l = {"chip", "platform_coretemp_0", "sensor", "temp" + (i + 1)};
            t.gauge("node_hwmon_temp_celsius", 50, 10, 1, l);
            t.constant("node_hwmon_temp_max_celsius", 100, l);
            t.constant("node_hwmon_temp_crit_celsius", 105, l);
        }
        String[] collectors = {"arp", "bcache", "bonding", "btrfs", "conntrack", "cpu", "cpufreq", "diskstats", "dmi",
            "edac", "entropy", "fibrechannel", "filefd", "filesystem", "hwmon", "infiniband", "ipvs", "loadavg",
            "mdadm", "meminfo", "netclass", "netdev", "netstat", "nfs", "nfsd", "nvme", "os", "powersupplyclass",
            "pressure", "rapl", "schedstat", "selinux", "sockstat", "softnet", "stat", "tapestats", "textfile",
            "thermal_zone", "time", "timex"};
        for (String c : collectors) {
            t.add("node_scrape_collector_duration_seconds", Model.NOISE, 1e-5, 5e-3, 0, "collector", c);
            t.constant("node_scrape_collector_success", 1, "collector", c);
        }
        for (String q : new String[] {"0", "0.25", "0.5", "0.75", "1"}) {
            t.add("go_gc_duration_seconds", Model.NOISE, 2e-5, 3e-4, 0, "quantile", q);
        }
        t.counter("go_gc_duration_seconds_sum", 1e-3, 1e-9);
        t.counter("go_gc_duration_seconds_count", 0.5, 1);
        t.gauge("go_goroutines", 8, 2, 1);
        t.gauge("go_threads", 10, 1, 1);
        t.constant("go_info", 1, "version", "go1.19.8");
        t.gauge("go_memstats_alloc_bytes", 3e6, 1e6, 8);
        t.counter("go_memstats_alloc_bytes_total", 5e6, 8);
        t.constant("go_memstats_buck_hash_sys_bytes", 1.45e6);
        t.counter("go_memstats_frees_total", 5e4, 1);
        t.constant("go_memstats_gc_sys_bytes", 8.6e6);
        t.gauge("go_memstats_heap_alloc_bytes", 3e6, 1e6, 8);
        t.gauge("go_memstats_heap_idle_bytes", 4e6, 1e6, 8192);
        t.gauge("go_memstats_heap_inuse_bytes", 5e6, 1e6, 8192);
        t.gauge("go_memstats_heap_objects", 2e4, 5e3, 1);
        t.gauge("go_memstats_heap_released_bytes", 2e6, 1e6, 8192);
        t.constant("go_memstats_heap_sys_bytes", 1.1665408e7);
        t.add("go_memstats_last_gc_time_seconds", Model.CLOCK, 0, 0, 0);
        t.constant("go_memstats_lookups_total", 0);
        t.counter("go_memstats_mallocs_total", 5e4, 1);
        t.constant("go_memstats_mcache_inuse_bytes", 4800);
        t.constant("go_memstats_mcache_sys_bytes", 15600);
        t.gauge("go_memstats_mspan_inuse_bytes", 1.5e5, 2e4, 8);
        t.constant("go_memstats_mspan_sys_bytes", 1.96e5);
        t.gauge("go_memstats_next_gc_bytes", 7e6, 1e6, 8);
        t.constant("go_memstats_other_sys_bytes", 1.2e6);
        t.gauge("go_memstats_stack_inuse_bytes", 7e5, 1e5, 8192);
        t.constant("go_memstats_stack_sys_bytes", 7.2e5);
        t.constant("go_memstats_sys_bytes", 2.4e7);
        t.counter("process_cpu_seconds_total", 0.1, 0.01);
        t.constant("process_max_fds", 1.048576e6);
        t.gauge("process_open_fds", 10, 1, 1);
        t.gauge("process_resident_memory_bytes", 2.2e7, 2e6, 4096);
        t.add("process_start_time_seconds", Model.CONST, 1.69e9, 1e6, 0.01);
        t.gauge("process_virtual_memory_bytes", 7.4e8, 1e7, 4096);
        t.constant("process_virtual_memory_max_bytes", 1.8446744073709552e19);
        t.counter("promhttp_metric_handler_requests_total", 1, 1, "code", "200");
        t.constant("promhttp_metric_handler_requests_total", 0, "code", "500");
        t.constant("promhttp_metric_handler_requests_total", 0, "code", "503");
        t.constant("promhttp_metric_handler_requests_in_flight", 1);
        t.constant("promhttp_metric_handler_errors_total", 0, "cause", "encoding");
        t.constant("promhttp_metric_handler_errors_total", 0, "cause", "gathering");
        if (histograms) {
            String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
            // Share of observations at or below each bound: most requests are fast, a tail is slow.
            double[] cdf = {0.05, 0.14, 0.33, 0.55, 0.74, 0.90, 0.96, 0.985, 0.995, 0.999, 0.9997, 1};
            String[] handlers = {"/api/v1/query", "/api/v1/query_range", "/api/v1/write"};
            double[] perRound = {20, 8, 150};
            for (int h = 0; h < handlers.length; h++) {
                for (int i = 0; i < les.length; i++) {
                    t.add("http_request_duration_seconds_bucket", Model.BUCKET, perRound[h], cdf[i], h, "handler",
                            handlers[h], "le", les[i]);
                }
                t.add("http_request_duration_seconds_count", Model.BUCKET, perRound[h], 1, h, "handler", handlers[h]);
                t.counter("http_request_duration_seconds_sum", perRound[h] * 0.08, 0.001, "handler", handlers[h]);
            }
        }
        // What the scraper adds per target.
        int scraped = t.out.size();
        t.constant("up", 1);
        t.add("scrape_duration_seconds", Model.NOISE, 0.01, 0.05, 0);
        t.constant("scrape_samples_scraped", scraped);
        t.constant("scrape_samples_post_metric_relabeling", scraped);
        t.constant("scrape_series_added", 0);
        return t.out.toArray(new TemplateSeries[0]);
    }
}
