package io.mantis.metrics.tsdb.block;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Block directories of a store as a whole: listing, start-up clean-up, deletion. */
public final class Blocks {

    private static final Logger log = LoggerFactory.getLogger(Blocks.class);
    public static final String TMP_DELETION_SUFFIX = ".tmp-for-deletion";

    private Blocks() {
    }

    /** What {@link #cleanUp} did. */
    public record CleanUp(List<Path> removedTemporary, List<Path> removedParents, List<Path> stray) {
    }

    /** Whether {@code dir} is a block: named by a ULID without suffix, holding meta.json. */
    public static boolean isBlockDir(Path dir) {
        return Ulid.isValid(dir.getFileName().toString()) && Files.isDirectory(dir)
                && Files.isRegularFile(dir.resolve(BlockMeta.FILE_NAME));
    }

    /** The block directories in {@code dir}, by ULID. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (isBlockDir(p)) {
                    out.add(p);
                }
            }
        }
        out.sort((a, b) -> Ulid.parse(a.getFileName().toString()).compareTo(Ulid.parse(b.getFileName().toString())));
        return out;
    }

    /**
     * Start-up clean-up of the blocks in {@code dir} (docs/format/tsdb.md): deletes temporary
     * directories ({@code <name>.tmp-*}) and blocks that another block lists as a compaction
     * parent, and warns about other directories that are not blocks. Directories that are not
     * named like blocks or temporaries (e.g. {@code wal}) are left alone; pass the names to skip.
     * A block whose meta.json cannot be read is not touched here (opening it reports it).
     */
    public static CleanUp cleanUp(Path dir, Set<String> knownNames) throws IOException {
        List<Path> temporary = new ArrayList<>();
        List<Path> parents = new ArrayList<>();
        List<Path> stray = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new CleanUp(temporary, parents, stray);
        }
        List<Path> blocks = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (knownNames.contains(name) || !Files.isDirectory(p)) {
                    continue;
                }
                int dot = name.indexOf(".tmp");
                if (dot > 0 && (name.startsWith(".tmp-", dot) || name.length() == dot + 4)) {
                    temporary.add(p);
                } else if (isBlockDir(p)) {
                    blocks.add(p);
                } else {
                    stray.add(p);
                }
            }
        }
        for (Path p : temporary) {
            log.info("removing leftover temporary block directory {}", p);
            FileUtil.deleteRecursively(p);
        }
        Set<Ulid> parentIds = new HashSet<>();
        for (Path b : blocks) {
            try {
                for (BlockMeta.Parent parent : BlockMeta.read(b).compaction().parents()) {
                    parentIds.add(parent.ulid());
                }
            } catch (CorruptBlockException e) {
                log.warn("{}", e.getMessage());
            }
        }
        for (Path b : blocks) {
            if (parentIds.contains(Ulid.parse(b.getFileName().toString()))) {
                log.info("removing block {}: a compacted block already holds its data", b);
                delete(b);
                parents.add(b);
            }
        }
        for (Path p : stray) {
            log.warn("{} is not a block (no ULID name or no meta.json); leaving it alone", p);
        }
        if (!temporary.isEmpty() || !parents.isEmpty()) {
            FileUtil.fsyncDir(dir);
        }
        return new CleanUp(temporary, parents, stray);
    }

    /** {@link #cleanUp(Path, Set)} skipping the store's other directories ({@code wal}, {@code chunks_head}). */
    public static CleanUp cleanUp(Path dir) throws IOException {
        return cleanUp(dir, Set.of("wal", "chunks_head"));
    }

    /**
     * Deletes a block directory that no open {@link Block} uses: renames it to {@code
     * <ulid>.tmp-for-deletion} (fsyncing the parent) so a crash leaves no half block, then
     * deletes the files. No-op if it is gone.
     */
    public static void delete(Path blockDir) throws IOException {
        Path parent = blockDir.toAbsolutePath().getParent();
        Path tmp = parent.resolve(blockDir.getFileName() + TMP_DELETION_SUFFIX);
        if (!Files.exists(blockDir)) {
            return;
        }
        FileUtil.deleteRecursively(tmp);
        try {
            Files.move(blockDir, tmp, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        FileUtil.fsyncDir(parent);
        FileUtil.deleteRecursively(tmp);
    }
}
