package io.mantis.collector.exporter.helper;

import io.mantis.common.fs.DirectoryLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file-backed FIFO of byte records with per-record acknowledgement, the storage of a persistent
 * sending queue. The files are specified in docs/format/persistent-queue.md; this class follows
 * that document section by section (appending, acks, deleting segments, recovery).
 *
 * <p>{@link #enqueue} returns once the record is written (and, with fsync on, on disk);
 * {@link #take} hands records out in sequence order; {@link #ack} marks one done. Records taken
 * but not acknowledged when the queue is closed (or the process dies) are handed out again
 * after the next {@link #open}: delivery is at least once.
 *
 * <p>Thread-safe. Payloads are read back from the files when taken, so memory holds only a small
 * index entry per outstanding record.
 */
public final class PersistentQueue implements AutoCloseable {
    /** Tuning that the format leaves open. */
    public record Options(boolean fsync, long segmentBytes) {
        public static final Options DEFAULTS = new Options(true, 32L * 1024 * 1024);

        public Options {
            if (segmentBytes < HEADER_SIZE + RECORD_OVERHEAD) {
                throw new IllegalArgumentException("segmentBytes too small: " + segmentBytes);
            }
        }
    }

    /** A taken record: acknowledge it with {@link #ack(long)} when done with it. */
    public record Entry(long seq, byte[] payload) {
    }

    /** Payload kinds of the segment header. */
    public static final int KIND_OPAQUE = 0;
    public static final int KIND_TRACES = 1;
    public static final int KIND_METRICS = 2;
    public static final int KIND_LOGS = 3;

    static final int HEADER_SIZE = 20;
    static final int RECORD_OVERHEAD = 16;
    static final int MAX_PAYLOAD = 512 * 1024 * 1024;
    static final int SEGMENT_MAGIC = 0x4D515347; // "MQSG"
    static final int ACKS_MAGIC = 0x4D51414B; // "MQAK"
    static final short VERSION = 1;
    static final String SEGMENT_PREFIX = "segment-";
    static final String ACKS = "acks";
    static final String ACKS_TMP = "acks.tmp";
    static final String LOCK = "queue.lock";

    private static final Logger log = LoggerFactory.getLogger(PersistentQueue.class);

    private final Path dir;
    private final int kind;
    private final int capacity;
    private final Options options;
    private final DirectoryLock lock;

    /** Serialises appends; guards {@link #active}, {@link #nextSeq}, {@link #broken}. */
    private final Object writeLock = new Object();
    private Segment active;
    private long nextSeq;
    private IOException broken;

    /** Guards everything about which records are queued, taken and done. */
    private final ReentrantLock state = new ReentrantLock();
    private final Condition available = state.newCondition();
    private final ArrayDeque<Ref> queued = new ArrayDeque<>();
    private final Map<Long, Ref> taken = new HashMap<>();
    private final TreeSet<Long> outstanding = new TreeSet<>();
    private final NavigableMap<Long, Segment> segments = new TreeMap<>();
    private long horizon;
    private long ackVersion;
    private boolean closed;
    private boolean stopTaking;

    /** Group commit of appends: the highest sequence number known to be on disk. */
    private final Object syncLock = new Object();
    private long durableSeq;

    /** Group commit of acks: the {@link #ackVersion} last written to {@code acks}. */
    private final Object ackLock = new Object();
    private long ackWritten = -1;
    private boolean ackWriteFailureLogged;

    private PersistentQueue(Path dir, int kind, int capacity, Options options, DirectoryLock lock) {
        this.dir = dir;
        this.kind = kind;
        this.capacity = capacity;
        this.options = options;
        this.lock = lock;
    }

    /**
     * The directory of one exporter's queue for one signal under the data directory, with the
     * exporter id escaped into a single path element as the format document says.
     */
    public static Path directoryFor(Path dataDir, String exporterId, String signal) {
        return dataDir.resolve("collector").resolve("queues").resolve(escapeId(exporterId)).resolve(signal);
    }

    static String escapeId(String id) {
        StringBuilder sb = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-') {
                sb.append(c);
            } else {
                sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (sb.length() <= 200) {
            return sb.toString();
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return sb.substring(0, 183) + "-" + HexFormat.of().formatHex(sha).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens (creating if needed) the queue in {@code dir} and recovers its state.
     *
     * @param kind the payload kind every segment of the directory must carry
     * @param capacity records waiting to be taken beyond which {@link #enqueue} refuses
     * @throws IOException the directory is unusable, in use, or holds another kind of payload
     */
    public static PersistentQueue open(Path dir, int kind, int capacity, Options options) throws IOException {
        Files.createDirectories(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir.resolve(LOCK), "queue directory", "another open queue");
        PersistentQueue q = new PersistentQueue(dir, kind, capacity, options, lock);
        boolean interrupted = Thread.interrupted();
        try {
            q.recover();
        } catch (IOException | RuntimeException e) {
            q.closeFiles();
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return q;
    }

    // ---- recovery ----

    private void recover() throws IOException {
        Files.deleteIfExists(dir.resolve(ACKS_TMP));
        AckState acks = readAcks();

        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, SEGMENT_PREFIX + "*")) {
            for (Path p : ds) {
                if (parseSegmentName(p.getFileName().toString()) >= 0) {
                    files.add(p);
                }
            }
        }
        files.sort((a, b) -> Long.compare(parseSegmentName(a.getFileName().toString()),
                parseSegmentName(b.getFileName().toString())));

        long lastSeq = 0;
        for (Path file : files) {
            long first = parseSegmentName(file.getFileName().toString());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(file, first, ch);
            boolean keep = false;
            try {
                keep = scanSegment(seg, acks);
            } finally {
                if (!keep) {
                    ch.close();
                }
            }
            if (seg.lastSeq >= first) {
                lastSeq = Math.max(lastSeq, seg.lastSeq);
            }
            if (keep) {
                seg.sealed = true;
                segments.put(first, seg);
            }
        }
        horizon = acks.horizon;
        nextSeq = Math.max(Math.max(lastSeq + 1, horizon), 1);
        durableSeq = nextSeq - 1;
        // Normalise acks: it now says exactly what the segments hold, and replaces a damaged one.
        ackVersion = 1;
        writeAcks(1);
    }

    /** Scans one segment, queues its outstanding records; returns whether the file stays. */
    private boolean scanSegment(Segment seg, AckState acks) throws IOException {
        long size = seg.channel.size();
        String name = seg.path.getFileName().toString();
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        readFully(seg.channel, header, 0);
        header.flip();
        String problem = size < HEADER_SIZE ? "shorter than a header" : checkHeader(header, seg.firstSeq);
        if (problem != null) {
            seg.channel.close();
            if (size <= HEADER_SIZE) {
                log.warn("persistent queue {}: deleting {} whose creation was cut short ({})", dir, name,
                        problem);
                Files.delete(seg.path);
            } else {
                Path corrupt = seg.path.resolveSibling(name + ".corrupt");
                Files.move(seg.path, corrupt, StandardCopyOption.REPLACE_EXISTING);
                log.error("persistent queue {}: {} has an invalid header ({}); its {} bytes of records cannot"
                        + " be read and were set aside as {}", dir, name, problem, size - HEADER_SIZE,
                        corrupt.getFileName());
            }
            return false;
        }
        int headerKind = header.get(6) & 0xFF;
        if (headerKind != kind) {
            throw new IOException("persistent queue " + dir + ": " + name + " holds payload kind " + headerKind
                    + " but this queue stores kind " + kind + "; the directory belongs to another queue");
        }

        long pos = HEADER_SIZE;
        long expected = seg.firstSeq;
        ByteBuffer head = ByteBuffer.allocate(12);
        String failure = null;
        List<Ref> refs = new ArrayList<>();
        while (pos < size) {
            if (size - pos < RECORD_OVERHEAD) {
                failure = "record header cut short";
                break;
            }
            head.clear();
            readFully(seg.channel, head, pos);
            int len = head.getInt(0);
            long seq = head.getLong(4);
            if (len < 0 || len > MAX_PAYLOAD) {
                failure = "invalid length " + Integer.toUnsignedString(len);
                break;
            }
            if (size - pos < RECORD_OVERHEAD + (long) len) {
                failure = "record of " + len + " bytes runs past the end of the file";
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(len + 4);
            readFully(seg.channel, body, pos + 12);
            if (!checksumOk(head.array(), body.array(), len)) {
                failure = "checksum mismatch";
                break;
            }
            if (seq != expected) {
                failure = "sequence number " + seq + " where " + expected + " was expected";
                break;
            }
            refs.add(new Ref(seq, seg, pos, len));
            pos += RECORD_OVERHEAD + len;
            expected++;
        }
        seg.lastSeq = expected - 1;
        seg.size = pos;
        if (failure != null) {
            long dropped = size - pos;
            // An append cut short by a crash leaves garbage only at the very end: if a valid record
            // follows the failure, bytes that had been written whole were damaged instead.
            boolean torn = !validRecordAfter(seg.channel, pos, size, expected);
            seg.channel.truncate(pos);
            if (options.fsync) {
                seg.channel.force(true);
            }
            if (torn) {
                log.warn("persistent queue {}: truncated a torn record of {} bytes at the end of {} ({});"
                        + " it was being written when the process stopped and had not been acknowledged", dir,
                        dropped, name, failure);
            } else {
                log.error("persistent queue {}: {} is damaged at byte {} ({}); dropped {} bytes: the records"
                        + " from sequence number {} to the end of this segment are lost", dir, name, pos, failure,
                        dropped, expected);
            }
        }
        for (Ref r : refs) {
            if (acks.isOutstanding(r.seq)) {
                queued.add(r);
                outstanding.add(r.seq);
                seg.outstanding++;
            }
        }
        if (seg.outstanding == 0) {
            seg.channel.close();
            Files.delete(seg.path);
            return false;
        }
        return true;
    }

    private static boolean checksumOk(byte[] head12, byte[] bodyAndCrc, int len) {
        CRC32C crc = new CRC32C();
        crc.update(head12, 0, 12);
        crc.update(bodyAndCrc, 0, len);
        return (int) crc.getValue() == ByteBuffer.wrap(bodyAndCrc).getInt(len);
    }

    /**
     * Whether a whole, valid record with a sequence number of at least {@code expected} starts
     * anywhere after {@code from}. The rest of a torn segment is one partial record, so this is
     * cheap where it matters; a remainder too large to hold is taken as damage.
     */
    private static boolean validRecordAfter(FileChannel ch, long from, long size, long expected) throws IOException {
        long rest = size - from - 1;
        if (rest < RECORD_OVERHEAD) {
            return false;
        }
        if (rest > 64L * 1024 * 1024) {
            return true;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) rest);
        readFully(ch, buf, from + 1);
        byte[] b = buf.array();
        int n = buf.position();
        CRC32C crc = new CRC32C();
        for (int p = 0; p + RECORD_OVERHEAD <= n; p++) {
            int len = buf.getInt(p);
            if (len < 0 || p + RECORD_OVERHEAD + (long) len > n) {
                continue;
            }
            long seq = buf.getLong(p + 4);
            if (seq < expected || seq - expected > Integer.MAX_VALUE) {
                continue;
            }
            crc.reset();
            crc.update(b, p, 12 + len);
            if ((int) crc.getValue() == buf.getInt(p + 12 + len)) {
                return true;
            }
        }
        return false;
    }

    private static String checkHeader(ByteBuffer h, long firstSeq) {
        if (h.getInt(0) != SEGMENT_MAGIC) {
            return "bad magic";
        }
        if (h.getShort(4) != VERSION) {
            return "unknown format version " + h.getShort(4);
        }
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, 16);
        if ((int) crc.getValue() != h.getInt(16)) {
            return "header checksum mismatch";
        }
        if (h.getLong(8) != firstSeq) {
            return "first sequence number " + h.getLong(8) + " does not match the file name";
        }
        return null;
    }

    static long parseSegmentName(String name) {
        if (!name.startsWith(SEGMENT_PREFIX) || name.length() != SEGMENT_PREFIX.length() + 20) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(SEGMENT_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String segmentName(long firstSeq) {
        return SEGMENT_PREFIX + String.format("%020d", firstSeq);
    }

    /** What {@code acks} says; an absent or damaged file says nothing is done. */
    private record AckState(long horizon, long[] listed) {
        boolean isOutstanding(long seq) {
            return seq >= horizon || java.util.Arrays.binarySearch(listed, seq) >= 0;
        }
    }

    private AckState readAcks() throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(dir.resolve(ACKS));
        } catch (NoSuchFileException e) {
            return new AckState(0, new long[0]);
        }
        String problem = null;
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (b.length < 24) {
            problem = "only " + b.length + " bytes";
        } else if (buf.getInt(0) != ACKS_MAGIC) {
            problem = "bad magic";
        } else if (buf.getShort(4) != VERSION) {
            problem = "unknown format version " + buf.getShort(4);
        } else {
            long n = Integer.toUnsignedLong(buf.getInt(16));
            if (24 + 8 * n != b.length) {
                problem = "size " + b.length + " does not fit " + n + " listed records";
            } else {
                CRC32C crc = new CRC32C();
                crc.update(b, 0, b.length - 4);
                if ((int) crc.getValue() != buf.getInt(b.length - 4)) {
                    problem = "checksum mismatch";
                } else {
                    long[] listed = new long[(int) n];
                    for (int i = 0; i < n; i++) {
                        listed[i] = buf.getLong(20 + 8 * i);
                    }
                    java.util.Arrays.sort(listed);
                    return new AckState(buf.getLong(8), listed);
                }
            }
        }
        log.warn("persistent queue {}: the acknowledgement file is damaged ({}); every record still in the queue"
                + " will be sent again", dir, problem);
        return new AckState(0, new long[0]);
    }

    // ---- appending ----

    /**
     * Appends a record and returns its sequence number once it is written (and with fsync on,
     * on disk), or -1 without writing when {@code capacity} records are already waiting.
     *
     * @throws IOException the write failed; nothing was appended (a half-written record is
     *     truncated away), or the queue is unusable after an earlier failure
     */
    public long enqueue(byte[] payload) throws IOException {
        // Channel I/O by a thread with its interrupt status set closes the channel; see io().
        boolean interrupted = Thread.interrupted();
        try {
            return append(payload);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long append(byte[] payload) throws IOException {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("record of " + payload.length + " bytes exceeds the limit of "
                    + MAX_PAYLOAD);
        }
        Ref ref;
        synchronized (writeLock) {
            if (broken != null) {
                throw new IOException("persistent queue " + dir + " refuses writes after an earlier failure: "
                        + broken.getMessage(), broken);
            }
            state.lock();
            try {
                if (closed) {
                    throw new IOException("persistent queue " + dir + " is closed");
                }
                // Only appends add to the queue and they are serialised by writeLock, so this holds.
                if (queued.size() >= capacity) {
                    return -1;
                }
            } finally {
                state.unlock();
            }
            long seq = nextSeq;
            int recordSize = RECORD_OVERHEAD + payload.length;
            Segment seg = segmentFor(recordSize);
            ByteBuffer rec = encodeRecord(seq, payload);
            long at = seg.size;
            try {
                io(seg, ch -> {
                    rec.rewind();
                    writeFully(ch, rec, at);
                    return null;
                });
            } catch (IOException e) {
                try {
                    io(seg, ch -> ch.truncate(at));
                } catch (IOException t) {
                    e.addSuppressed(t);
                    broken = e;
                }
                throw e;
            }
            seg.size = at + recordSize;
            nextSeq = seq + 1;
            ref = new Ref(seq, seg, at, payload.length);
            state.lock();
            try {
                seg.lastSeq = seq;
                seg.outstanding++;
                queued.add(ref);
                outstanding.add(seq);
                available.signal();
            } finally {
                state.unlock();
            }
        }
        if (options.fsync) {
            sync(ref.seq);
        }
        return ref.seq;
    }

    static ByteBuffer encodeRecord(long seq, byte[] payload) {
        ByteBuffer rec = ByteBuffer.allocate(RECORD_OVERHEAD + payload.length);
        rec.putInt(payload.length).putLong(seq).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(rec.array(), 0, 12 + payload.length);
        rec.putInt((int) crc.getValue());
        rec.flip();
        return rec;
    }

    /** The segment to append {@code recordSize} bytes to, rolling over first if it would overflow. */
    private Segment segmentFor(int recordSize) throws IOException {
        if (active != null && active.size > HEADER_SIZE && active.size + recordSize > options.segmentBytes) {
            Segment old = active;
            if (options.fsync) {
                try {
                    io(old, ch -> {
                        ch.force(false);
                        return null;
                    });
                } catch (IOException e) {
                    broken = e;
                    throw e;
                }
            }
            active = null;
            old.sealed = true;
            deleteDoneSegments();
        }
        if (active == null) {
            active = createSegment(nextSeq);
        }
        return active;
    }

    private Segment createSegment(long firstSeq) throws IOException {
        Path path = dir.resolve(segmentName(firstSeq));
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        h.putInt(SEGMENT_MAGIC).putShort(VERSION).put((byte) kind).put((byte) 0).putLong(firstSeq);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, 16);
        h.putInt((int) crc.getValue());
        h.flip();
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeFully(ch, h, 0);
            if (options.fsync) {
                ch.force(true);
                forceDirectory();
            }
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        Segment seg = new Segment(path, firstSeq, ch);
        seg.size = HEADER_SIZE;
        seg.lastSeq = firstSeq - 1;
        state.lock();
        try {
            segments.put(firstSeq, seg);
        } finally {
            state.unlock();
        }
        return seg;
    }

    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the file's own fsync still holds there.
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }

    /**
     * Returns once every record up to {@code seq} is on disk. One caller's fsync covers all
     * records written before it started, so concurrent appenders share fsyncs.
     */
    private void sync(long seq) throws IOException {
        synchronized (syncLock) {
            if (durableSeq >= seq) {
                return;
            }
            Segment seg;
            long target;
            synchronized (writeLock) {
                if (broken != null) {
                    throw new IOException("persistent queue " + dir + " failed: " + broken.getMessage(), broken);
                }
                seg = active;
                target = nextSeq - 1;
            }
            // Records before the active segment were in segments fsynced when they were left.
            if (seg != null) {
                try {
                    io(seg, ch -> {
                        ch.force(false);
                        return null;
                    });
                } catch (ClosedChannelException e) {
                    // Left (fsynced) and already deleted by a fast consumer, or the queue closed (which fsyncs).
                    if (!seg.sealed && !isClosed()) {
                        throw e;
                    }
                } catch (IOException e) {
                    synchronized (writeLock) {
                        // After a failed fsync the kernel may have dropped the dirty pages: stop writing.
                        broken = e;
                    }
                    throw e;
                }
            }
            durableSeq = target;
        }
    }

    // ---- taking and acknowledging ----

    /**
     * The oldest record not yet taken, waiting for one; null once the queue is closed or
     * {@link #stopTaking()} was called. A record damaged on disk since it was written is logged,
     * acknowledged (dropped) and skipped.
     */
    public Entry take() throws InterruptedException {
        return take(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** As {@link #take()}, but null also when nothing arrives within the timeout. */
    public Entry take(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = timeout == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            Ref ref;
            state.lockInterruptibly();
            try {
                while (queued.isEmpty() && !closed && !stopTaking) {
                    if (deadline == Long.MAX_VALUE) {
                        available.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return null;
                        }
                        available.awaitNanos(left);
                    }
                }
                if (closed || stopTaking) {
                    return null;
                }
                ref = queued.poll();
                taken.put(ref.seq, ref);
            } finally {
                state.unlock();
            }
            try {
                return new Entry(ref.seq, read(ref));
            } catch (IOException e) {
                if (isClosed()) {
                    return null;
                }
                log.error("persistent queue {}: record {} cannot be read back ({}); it is dropped", dir, ref.seq,
                        e.getMessage());
                ack(ref.seq);
            }
        }
    }

    private byte[] read(Ref ref) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(RECORD_OVERHEAD + ref.length);
        io(ref.segment, ch -> {
            buf.clear();
            readFully(ch, buf, ref.offset);
            return null;
        });
        if (buf.position() < buf.capacity()) {
            throw new IOException("record is cut short in " + ref.segment.path.getFileName());
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 12 + ref.length);
        if (buf.getInt(0) != ref.length || buf.getLong(4) != ref.seq
                || (int) crc.getValue() != buf.getInt(12 + ref.length)) {
            throw new IOException("record does not match its checksum in " + ref.segment.path.getFileName());
        }
        byte[] payload = new byte[ref.length];
        System.arraycopy(buf.array(), 12, payload, 0, ref.length);
        return payload;
    }

    /**
     * Marks a taken record done: it will not be handed out again, and its segment is deleted
     * once all of the segment's records are done. Unknown or already acknowledged numbers, and
     * acknowledgements after {@link #close()}, are ignored (the record then comes back after the
     * next open, as at-least-once allows).
     */
    public void ack(long seq) {
        long version;
        state.lock();
        try {
            if (closed) {
                return;
            }
            Ref ref = taken.remove(seq);
            if (ref == null) {
                return;
            }
            outstanding.remove(seq);
            horizon = Math.max(horizon, seq + 1);
            ref.segment.outstanding--;
            version = ++ackVersion;
        } finally {
            state.unlock();
        }
        writeAcks(version);
        deleteDoneSegments();
    }

    /** Writes the ack state if no write since {@code version} was made has done it already. */
    private void writeAcks(long version) {
        synchronized (ackLock) {
            if (ackWritten >= version) {
                return;
            }
            long v;
            long h;
            long[] listed;
            state.lock();
            try {
                v = ackVersion;
                h = horizon;
                listed = outstanding.headSet(h).stream().mapToLong(Long::longValue).toArray();
            } finally {
                state.unlock();
            }
            ByteBuffer b = ByteBuffer.allocate(24 + 8 * listed.length);
            b.putInt(ACKS_MAGIC).putShort(VERSION).putShort((short) 0).putLong(h).putInt(listed.length);
            for (long s : listed) {
                b.putLong(s);
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.position());
            b.putInt((int) crc.getValue());
            b.flip();
            Path tmp = dir.resolve(ACKS_TMP);
            boolean interrupted = Thread.interrupted();
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    writeFully(ch, b, 0);
                    if (options.fsync) {
                        ch.force(false);
                    }
                }
                Files.move(tmp, dir.resolve(ACKS), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                ackWritten = v;
                ackWriteFailureLogged = false;
            } catch (IOException e) {
                // Safe to carry on: a stale acks file only makes done records be sent again.
                if (!ackWriteFailureLogged) {
                    ackWriteFailureLogged = true;
                    log.warn("persistent queue {}: cannot write the acknowledgement file ({}); records already sent"
                            + " may be sent again after a restart", dir, e.toString());
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void deleteDoneSegments() {
        List<Segment> done = new ArrayList<>();
        state.lock();
        try {
            for (Segment s : segments.values()) {
                if (s.sealed && s.outstanding == 0 && !s.deleted) {
                    s.deleted = true;
                    done.add(s);
                }
            }
            for (Segment s : done) {
                segments.remove(s.firstSeq);
            }
        } finally {
            state.unlock();
        }
        for (Segment s : done) {
            try {
                s.channel.close();
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                log.warn("persistent queue {}: cannot delete the finished segment {}: {}", dir,
                        s.path.getFileName(), e.toString());
            }
        }
    }

    // ---- state and closing ----

    /** Records waiting to be taken. */
    public int queued() {
        state.lock();
        try {
            return queued.size();
        } finally {
            state.unlock();
        }
    }

    /** Records not yet acknowledged: waiting plus taken. */
    public int outstanding() {
        state.lock();
        try {
            return outstanding.size();
        } finally {
            state.unlock();
        }
    }

    /** Segment files currently in use, for tests. */
    int segmentCount() {
        state.lock();
        try {
            return segments.size();
        } finally {
            state.unlock();
        }
    }

    public Path directory() {
        return dir;
    }

    private boolean isClosed() {
        state.lock();
        try {
            return closed;
        } finally {
            state.unlock();
        }
    }

    /** Wakes every {@link #take} and makes later ones return null; appends and acks go on. */
    public void stopTaking() {
        state.lock();
        try {
            stopTaking = true;
            available.signalAll();
        } finally {
            state.unlock();
        }
    }

    /**
     * Writes the final ack state and closes the files. Records taken and not acknowledged stay
     * outstanding: the next open hands them out again.
     */
    @Override
    public void close() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            shutdown();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void shutdown() throws IOException {
        long version;
        state.lock();
        try {
            if (closed) {
                return;
            }
            version = ackVersion;
        } finally {
            state.unlock();
        }
        synchronized (writeLock) {
            if (active != null && options.fsync && broken == null) {
                try {
                    io(active, ch -> {
                        ch.force(false);
                        return null;
                    });
                } catch (IOException e) {
                    broken = e;
                    log.error("persistent queue {}: fsync at close failed: {}", dir, e.toString());
                }
            }
            state.lock();
            try {
                closed = true;
                available.signalAll();
            } finally {
                state.unlock();
            }
        }
        writeAcks(version);
        closeFiles();
    }

    private void closeFiles() throws IOException {
        IOException first = null;
        state.lock();
        try {
            closed = true;
            for (Segment s : segments.values()) {
                try {
                    s.channel.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        } finally {
            state.unlock();
        }
        try {
            lock.close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- file helpers ----

    @FunctionalInterface
    private interface ChannelOp<R> {
        R apply(FileChannel ch) throws IOException;
    }

    /**
     * Runs an idempotent operation on a segment's channel. An interrupt of any thread in the
     * middle of channel I/O closes the channel for every thread (ClosedByInterruptException);
     * the queue must outlive interrupts of its callers, so the calling thread's interrupt status
     * is set aside during the operation, and a channel closed that way is reopened once.
     */
    private <R> R io(Segment seg, ChannelOp<R> op) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean interrupted = Thread.interrupted();
            FileChannel ch = seg.channel;
            try {
                return op.apply(ch);
            } catch (ClosedChannelException e) {
                if (attempt > 0 || seg.deleted || isClosed()) {
                    throw e;
                }
                seg.reopen(ch);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Reads until the buffer is full or the file ends. */
    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                return;
            }
            pos += n;
        }
    }

    private static final class Segment {
        final Path path;
        final long firstSeq;
        volatile FileChannel channel;
        /** Append position; only the writer changes it. */
        long size;
        long lastSeq;
        /** Records of this segment not yet acknowledged; guarded by the queue's state lock. */
        int outstanding;
        volatile boolean sealed;
        volatile boolean deleted;

        Segment(Path path, long firstSeq, FileChannel channel) {
            this.path = path;
            this.firstSeq = firstSeq;
            this.channel = channel;
        }

        synchronized void reopen(FileChannel closed) throws IOException {
            if (channel == closed && !channel.isOpen()) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }
    }

    /** Where an outstanding record is. */
    private record Ref(long seq, Segment segment, long offset, int length) {
    }
}
