package io.mantis.common.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/** File names, segment headers and directory chores of the layout in docs/format/wal.md. */
final class Segments {

    static final int HEADER_SIZE = 16;
    static final int FRAME_OVERHEAD = 9;
    static final int MAX_RECORD = 256 * 1024 * 1024;
    static final int MAGIC = 0x4D57414C; // "MWAL"
    static final byte VERSION = 1;
    static final byte KIND_MORE = 1;
    static final byte KIND_LAST = 2;
    static final String CHECKPOINT_PREFIX = "checkpoint.";
    static final String TMP_SUFFIX = ".tmp";
    static final String LOCK = "lock";

    private Segments() {
    }

    static String name(int number) {
        return String.format(Locale.ROOT, "%08d", number);
    }

    static String checkpointName(int upTo) {
        return CHECKPOINT_PREFIX + name(upTo);
    }

    /** The number a segment file name stands for, or -1 if the name is not a segment's. */
    static int parseName(String name) {
        if (name.length() < 8 || name.length() > 10) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    /** The N of a complete {@code checkpoint.N} directory name, or -1. */
    static int parseCheckpointName(String name) {
        if (!name.startsWith(CHECKPOINT_PREFIX) || name.endsWith(TMP_SUFFIX)) {
            return -1;
        }
        return parseName(name.substring(CHECKPOINT_PREFIX.length()));
    }

    /** Segment numbers in {@code dir}, ascending. */
    static List<Integer> list(Path dir) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                int n = parseName(p.getFileName().toString());
                if (n >= 0 && Files.isRegularFile(p)) {
                    out.add(n);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Numbers of complete checkpoints in {@code dir}, ascending. */
    static List<Integer> checkpoints(Path dir) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, CHECKPOINT_PREFIX + "*")) {
            for (Path p : ds) {
                int n = parseCheckpointName(p.getFileName().toString());
                if (n >= 0 && Files.isDirectory(p)) {
                    out.add(n);
                }
            }
        }
        out.sort(null);
        return out;
    }

    static void putHeader(ByteBuffer buf, int number) {
        int start = buf.position();
        buf.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) 0).putInt(number);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), buf.arrayOffset() + start, 12);
        buf.putInt((int) crc.getValue());
    }

    /** Why a header is unusable, or null when it is fine. */
    static String checkHeader(byte[] h, int off, int number) {
        ByteBuffer b = ByteBuffer.wrap(h, off, HEADER_SIZE).slice();
        if (b.getInt(0) != MAGIC) {
            return "bad magic";
        }
        if (b.get(4) != VERSION) {
            return "unknown format version " + b.get(4);
        }
        CRC32C crc = new CRC32C();
        crc.update(h, off, 12);
        if ((int) crc.getValue() != b.getInt(12)) {
            return "header checksum mismatch";
        }
        if (b.getInt(8) != number) {
            return "header says segment " + b.getInt(8) + ", the file name " + number;
        }
        return null;
    }

    /** Creates segment {@code number} in {@code dir} with its header written (not fsynced). */
    static FileChannel create(Path dir, int number) throws IOException {
        Path file = dir.resolve(name(number));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
            putHeader(header, number);
            header.flip();
            writeFully(ch, header, 0);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the files' own fsyncs still hold there.
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
