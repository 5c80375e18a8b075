package io.mantis.server;

import io.mantis.common.lifecycle.Component;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory, held with an exclusive lock for the life of the process: two processes
 * writing the same stores would corrupt them, so the second one refuses to start.
 */
public final class DataDirectory implements Component {
    public static final String ID = "server/data_dir";
    static final String LOCK_FILE = "mantis.lock";

    private final Path dir;
    private FileChannel channel;
    private FileLock lock;

    public DataDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void start() throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create data directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("data directory " + dir + " is not writable");
        }
        Path lockPath = dir.resolve(LOCK_FILE);
        channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // This JVM already holds it (a second server in the same process).
            channel.close();
            throw new IOException("data directory " + dir + " is in use by another Mantis process"
                    + " (this one, pid " + ProcessHandle.current().pid() + ")");
        }
        if (lock == null) {
            String holder = Files.readString(lockPath, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new IOException("data directory " + dir + " is in use by another Mantis process"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    @Override
    public void stop() throws IOException {
        if (lock != null) {
            lock.release();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
