package io.mantis.common.metrics;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * JVM and process metrics under the names of the Prometheus Java client, so existing JVM
 * dashboards work unchanged against Mantis.
 *
 * <p>Implemented as one {@link Collector} reading the platform MXBeans at scrape time: these
 * values are owned by the JVM, so mirroring them into registered gauges would only add a second,
 * staler copy. Metrics the platform cannot provide (file descriptors off Unix, memory sizes
 * without {@code /proc}) are left out rather than exported as fake zeros.
 */
public final class JvmMetrics {

    private static final String[] AREA = {"area"};
    private static final String[] POOL = {"pool"};
    private static final String[] GC = {"gc"};
    private static final String[] INFO = {"runtime", "vendor", "version"};
    private static final String[] HEAP = {"heap"};
    private static final String[] NON_HEAP = {"nonheap"};
    private static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    /** One instance: registering it twice is a no-op in the registry. */
    private static final Collector COLLECTOR = new JvmCollector();

    private JvmMetrics() {}

    /** Adds the JVM/process collector to {@code registry}; idempotent. */
    public static void register(MetricRegistry registry) {
        registry.register(COLLECTOR);
    }

    private static final class JvmCollector implements Collector {

        private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        private final String[] info = {
            System.getProperty("java.runtime.name", "unknown"),
            System.getProperty("java.vm.vendor", "unknown"),
            System.getProperty("java.runtime.version", "unknown"),
        };

        @Override
        public void collect(MetricSink sink) {
            collectProcess(sink);
            collectMemory(sink);
            collectThreads(sink);
            collectClasses(sink);
            collectGc(sink);
            collectBufferPools(sink);
            sink.family("jvm_info", MetricType.GAUGE, "JVM version info");
            sink.sample(INFO, info, 1);
        }

        private void collectProcess(MetricSink sink) {
            if (os instanceof com.sun.management.OperatingSystemMXBean sunOs) {
                long cpuNanos = sunOs.getProcessCpuTime();
                if (cpuNanos >= 0) {
                    sink.family("process_cpu_seconds", MetricType.COUNTER, "Total user and system CPU time spent in seconds.", "seconds");
                    sink.sample(cpuNanos / 1e9);
                }
            }
            sink.family("process_start_time_seconds", MetricType.GAUGE, "Start time of the process since unix epoch in seconds.", "seconds");
            sink.sample(runtime.getStartTime() / 1e3);
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unixOs) {
                // On Linux the JDK counts /proc/self/fd (excluding its own directory handle).
                sink.family("process_open_fds", MetricType.GAUGE, "Number of open file descriptors.");
                sink.sample(unixOs.getOpenFileDescriptorCount());
                sink.family("process_max_fds", MetricType.GAUGE, "Maximum number of open file descriptors.");
                sink.sample(unixOs.getMaxFileDescriptorCount());
            }
            long[] vm = readProcStatus();
            if (vm != null) {
                if (vm[0] >= 0) {
                    sink.family("process_virtual_memory_bytes", MetricType.GAUGE, "Virtual memory size in bytes.", "bytes");
                    sink.sample(vm[0]);
                }
                if (vm[1] >= 0) {
                    sink.family("process_resident_memory_bytes", MetricType.GAUGE, "Resident memory size in bytes.", "bytes");
                    sink.sample(vm[1]);
                }
            }
        }

        private void collectMemory(MetricSink sink) {
            MemoryUsage heap = memory.getHeapMemoryUsage();
            MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
            sink.family("jvm_memory_used_bytes", MetricType.GAUGE, "Used bytes of a given JVM memory area.", "bytes");
            sink.sample(AREA, HEAP, heap.getUsed());
            sink.sample(AREA, NON_HEAP, nonHeap.getUsed());
            sink.family("jvm_memory_committed_bytes", MetricType.GAUGE, "Committed (bytes) of a given JVM memory area.", "bytes");
            sink.sample(AREA, HEAP, heap.getCommitted());
            sink.sample(AREA, NON_HEAP, nonHeap.getCommitted());
            // -1 means "undefined" (typical for non-heap); kept as-is, like the Prometheus client.
            sink.family("jvm_memory_max_bytes", MetricType.GAUGE, "Max (bytes) of a given JVM memory area.", "bytes");
            sink.sample(AREA, HEAP, heap.getMax());
            sink.sample(AREA, NON_HEAP, nonHeap.getMax());

            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
            MemoryUsage[] usages = new MemoryUsage[pools.size()];
            String[][] names = new String[pools.size()][];
            for (int i = 0; i < usages.length; i++) {
                usages[i] = pools.get(i).getUsage(); // null once a pool became invalid
                names[i] = new String[] {pools.get(i).getName()};
            }
            sink.family("jvm_memory_pool_used_bytes", MetricType.GAUGE, "Used bytes of a given JVM memory pool.", "bytes");
            for (int i = 0; i < usages.length; i++) {
                if (usages[i] != null) {
                    sink.sample(POOL, names[i], usages[i].getUsed());
                }
            }
            sink.family("jvm_memory_pool_committed_bytes", MetricType.GAUGE, "Committed bytes of a given JVM memory pool.", "bytes");
            for (int i = 0; i < usages.length; i++) {
                if (usages[i] != null) {
                    sink.sample(POOL, names[i], usages[i].getCommitted());
                }
            }
            sink.family("jvm_memory_pool_max_bytes", MetricType.GAUGE, "Max bytes of a given JVM memory pool.", "bytes");
            for (int i = 0; i < usages.length; i++) {
                if (usages[i] != null) {
                    sink.sample(POOL, names[i], usages[i].getMax());
                }
            }
        }

        private void collectThreads(MetricSink sink) {
            sink.family("jvm_threads_current", MetricType.GAUGE, "Current thread count of a JVM.");
            sink.sample(threads.getThreadCount());
            sink.family("jvm_threads_daemon", MetricType.GAUGE, "Daemon thread count of a JVM.");
            sink.sample(threads.getDaemonThreadCount());
            sink.family("jvm_threads_peak", MetricType.GAUGE, "Peak thread count of a JVM.");
            sink.sample(threads.getPeakThreadCount());
            sink.family("jvm_threads_started", MetricType.COUNTER, "Started thread count of a JVM.");
            sink.sample(threads.getTotalStartedThreadCount());
        }

        private void collectClasses(MetricSink sink) {
            sink.family("jvm_classes_currently_loaded", MetricType.GAUGE, "The number of classes that are currently loaded in the JVM.");
            sink.sample(classes.getLoadedClassCount());
            sink.family("jvm_classes_loaded", MetricType.COUNTER, "The total number of classes that have been loaded since the JVM has started execution.");
            sink.sample(classes.getTotalLoadedClassCount());
            sink.family("jvm_classes_unloaded", MetricType.COUNTER, "The total number of classes that have been unloaded since the JVM has started execution.");
            sink.sample(classes.getUnloadedClassCount());
        }

        private void collectGc(MetricSink sink) {
            sink.family("jvm_gc_collection_seconds", MetricType.SUMMARY, "Time spent in a given JVM garbage collector in seconds.", "seconds");
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                long count = gc.getCollectionCount();
                long millis = gc.getCollectionTime();
                if (count < 0 || millis < 0) {
                    continue; // -1: not supported by this collector
                }
                String[] name = {gc.getName()};
                sink.count(GC, name, count);
                sink.sum(GC, name, millis / 1e3);
            }
        }

        private void collectBufferPools(MetricSink sink) {
            List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
            sink.family("jvm_buffer_pool_used_bytes", MetricType.GAUGE, "Used bytes of a given JVM buffer pool.", "bytes");
            for (BufferPoolMXBean pool : pools) {
                sink.sample(POOL, new String[] {pool.getName()}, pool.getMemoryUsed());
            }
            sink.family("jvm_buffer_pool_capacity_bytes", MetricType.GAUGE, "Bytes capacity of a given JVM buffer pool.", "bytes");
            for (BufferPoolMXBean pool : pools) {
                sink.sample(POOL, new String[] {pool.getName()}, pool.getTotalCapacity());
            }
            sink.family("jvm_buffer_pool_used_buffers", MetricType.GAUGE, "Used buffers of a given JVM buffer pool.", "buffers");
            for (BufferPoolMXBean pool : pools) {
                sink.sample(POOL, new String[] {pool.getName()}, pool.getCount());
            }
        }

        /** {VmSize, VmRSS} in bytes from /proc/self/status (-1 when a line is missing), or null off Linux. */
        private static long[] readProcStatus() {
            List<String> lines;
            try {
                lines = Files.readAllLines(PROC_SELF_STATUS, StandardCharsets.US_ASCII);
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
            long[] result = {-1, -1};
            for (String line : lines) {
                if (line.startsWith("VmSize:")) {
                    result[0] = parseKiB(line);
                } else if (line.startsWith("VmRSS:")) {
                    result[1] = parseKiB(line);
                }
            }
            return result;
        }

        /** Parses "VmRSS:\t  123456 kB" to bytes; -1 if malformed. */
        private static long parseKiB(String line) {
            String[] fields = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
            try {
                return fields.length == 2 && fields[1].equals("kB") ? Long.parseLong(fields[0]) * 1024 : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
