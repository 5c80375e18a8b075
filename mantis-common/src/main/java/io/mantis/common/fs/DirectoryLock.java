package io.mantis.common.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of a directory by one open owner (a WAL, a persistent queue): an OS lock on a
 * lock file in it, taken without waiting. The OS drops the lock when the process dies, so a lock
 * file left behind by {@code kill -9} never blocks a restart; within one process a second owner is
 * refused too.
 */
public final class DirectoryLock implements Closeable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code lockFile} (created if absent).
     *
     * @param what names the directory in the refusal, e.g. "WAL directory"
     * @param owner names the other owner in the refusal, e.g. "another open WAL"
     * @throws IOException the file cannot be opened, or another owner holds the lock
     */
    public static DirectoryLock acquire(Path lockFile, String what, String owner) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this process
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(what + " " + lockFile.getParent() + " is in use by " + owner);
        }
        return new DirectoryLock(channel, lock);
    }

    /** Releases the lock and closes the lock file. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
