package io.mantis.metrics.tsdb.block;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A block's {@code meta.json} (docs/format/tsdb.md): identity, time range {@code [minTime,
 * maxTime)}, statistics and compaction lineage. Immutable.
 */
public record BlockMeta(Ulid ulid, long minTime, long maxTime, Stats stats, Compaction compaction, int version) {

    public static final String FILE_NAME = "meta.json";
    public static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    public BlockMeta {
        Objects.requireNonNull(ulid, "ulid");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(compaction, "compaction");
        if (minTime >= maxTime) {
            throw new IllegalArgumentException("block time range [" + minTime + ", " + maxTime + ") is empty");
        }
    }

    /** A level-1 meta: the block is its own only source. */
    public static BlockMeta level1(Ulid ulid, long minTime, long maxTime, Stats stats) {
        return new BlockMeta(ulid, minTime, maxTime, stats, Compaction.level1(ulid), VERSION);
    }

    /** Counts of what a block holds; see docs/format/tsdb.md for their exact meaning. */
    public record Stats(long numSamples, long numSeries, long numChunks, long numFloatSamples,
            long numHistogramSamples, long numTombstones) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0);

        public Stats withTombstones(long n) {
            return new Stats(numSamples, numSeries, numChunks, numFloatSamples, numHistogramSamples, n);
        }
    }

    /** A block this one was compacted from. */
    public record Parent(Ulid ulid, long minTime, long maxTime) {
        public Parent {
            Objects.requireNonNull(ulid, "ulid");
        }
    }

    /**
     * Lineage: {@code level} 1 for a block cut from the head; {@code sources} the level-1 blocks
     * descended from, sorted; {@code parents} the blocks merged into this one.
     */
    public record Compaction(int level, List<Ulid> sources, List<Parent> parents) {
        public Compaction {
            if (level < 1) {
                throw new IllegalArgumentException("compaction level " + level + " < 1");
            }
            sources = List.copyOf(sources.stream().sorted().distinct().toList());
            parents = List.copyOf(parents);
        }

        public static Compaction level1(Ulid self) {
            return new Compaction(1, List.of(self), List.of());
        }
    }

    /** The same meta with another {@code numTombstones}. */
    public BlockMeta withTombstones(long n) {
        return new BlockMeta(ulid, minTime, maxTime, stats.withTombstones(n), compaction, version);
    }

    /** Whether {@code [minTime, maxTime)} overlaps the closed range {@code [mint, maxt]}. */
    public boolean overlapsClosed(long mint, long maxt) {
        return minTime <= maxt && mint < maxTime;
    }

    // ---- JSON ----

    /** The JSON text, pretty-printed for operators who look at it. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("ulid", ulid.toString());
            g.writeNumberField("minTime", minTime);
            g.writeNumberField("maxTime", maxTime);
            g.writeObjectFieldStart("stats");
            g.writeNumberField("numSamples", stats.numSamples());
            g.writeNumberField("numSeries", stats.numSeries());
            g.writeNumberField("numChunks", stats.numChunks());
            g.writeNumberField("numFloatSamples", stats.numFloatSamples());
            g.writeNumberField("numHistogramSamples", stats.numHistogramSamples());
            g.writeNumberField("numTombstones", stats.numTombstones());
            g.writeEndObject();
            g.writeObjectFieldStart("compaction");
            g.writeNumberField("level", compaction.level());
            g.writeArrayFieldStart("sources");
            for (Ulid u : compaction.sources()) {
                g.writeString(u.toString());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("parents");
            for (Parent p : compaction.parents()) {
                g.writeStartObject();
                g.writeStringField("ulid", p.ulid().toString());
                g.writeNumberField("minTime", p.minTime());
                g.writeNumberField("maxTime", p.maxTime());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeNumberField("version", version);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Parses meta.json text.
     *
     * @throws IllegalArgumentException naming what is wrong: malformed JSON, a missing or
     *     mistyped required field, an unknown version
     */
    public static BlockMeta fromJson(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "top level");
            Ulid ulid = null;
            Long minTime = null;
            Long maxTime = null;
            Integer version = null;
            Stats stats = null;
            Compaction compaction = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "ulid" -> ulid = ulid(p, t, "ulid");
                    case "minTime" -> minTime = longValue(p, t, "minTime");
                    case "maxTime" -> maxTime = longValue(p, t, "maxTime");
                    case "version" -> version = (int) longValue(p, t, "version");
                    case "stats" -> stats = stats(p, t);
                    case "compaction" -> compaction = compaction(p, t);
                    default -> p.skipChildren();
                }
            }
            if (ulid == null || minTime == null || maxTime == null || version == null) {
                throw new IllegalArgumentException("meta.json lacks one of the required fields ulid, minTime, maxTime, version");
            }
            if (version != VERSION) {
                throw new IllegalArgumentException("meta.json has version " + version + "; this reader knows version " + VERSION);
            }
            if (compaction == null) {
                compaction = Compaction.level1(ulid);
            }
            return new BlockMeta(ulid, minTime, maxTime, stats == null ? Stats.EMPTY : stats, compaction, version);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("meta.json is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
    }

    private static Stats stats(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_OBJECT, "stats");
        long[] v = new long[6];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            int i = switch (name) {
                case "numSamples" -> 0;
                case "numSeries" -> 1;
                case "numChunks" -> 2;
                case "numFloatSamples" -> 3;
                case "numHistogramSamples" -> 4;
                case "numTombstones" -> 5;
                default -> -1;
            };
            if (i < 0) {
                p.skipChildren();
            } else {
                v[i] = longValue(p, vt, "stats." + name);
            }
        }
        return new Stats(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    private static Compaction compaction(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_OBJECT, "compaction");
        int level = 1;
        List<Ulid> sources = new ArrayList<>();
        List<Parent> parents = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            switch (name) {
                case "level" -> level = (int) longValue(p, vt, "compaction.level");
                case "sources" -> {
                    expect(vt, JsonToken.START_ARRAY, "compaction.sources");
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        sources.add(ulid(p, e, "compaction.sources"));
                    }
                }
                case "parents" -> {
                    expect(vt, JsonToken.START_ARRAY, "compaction.parents");
                    JsonToken e;
                    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                        parents.add(parent(p, e));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (level < 1) {
            throw new IllegalArgumentException("meta.json: compaction.level " + level + " < 1");
        }
        return new Compaction(level, sources, parents);
    }

    private static Parent parent(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_OBJECT, "compaction.parents[]");
        Ulid u = null;
        long min = 0;
        long max = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            switch (name) {
                case "ulid" -> u = ulid(p, vt, "compaction.parents[].ulid");
                case "minTime" -> min = longValue(p, vt, "compaction.parents[].minTime");
                case "maxTime" -> max = longValue(p, vt, "compaction.parents[].maxTime");
                default -> p.skipChildren();
            }
        }
        if (u == null) {
            throw new IllegalArgumentException("meta.json: a compaction parent has no ulid");
        }
        return new Parent(u, min, max);
    }

    private static void expect(JsonToken t, JsonToken want, String where) {
        if (t != want) {
            throw new IllegalArgumentException("meta.json: " + where + " should be " + want + " but is " + t);
        }
    }

    private static long longValue(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("meta.json: " + field + " should be an integer but is " + t);
        }
        try {
            return p.getLongValue();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("meta.json: " + field + " does not fit 64 bits");
        }
    }

    private static Ulid ulid(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("meta.json: " + field + " should be a string but is " + t);
        }
        String s = p.getText();
        if (!Ulid.isValid(s)) {
            throw new IllegalArgumentException("meta.json: " + field + " \"" + s + "\" is not a ULID");
        }
        return Ulid.parse(s);
    }

    // ---- files ----

    /**
     * Reads {@code <blockDir>/meta.json}.
     *
     * @throws CorruptBlockException if it is missing or invalid, or names another ULID than the
     *     directory (when the directory is named by a ULID)
     */
    public static BlockMeta read(Path blockDir) throws IOException {
        byte[] json;
        try {
            json = Files.readAllBytes(blockDir.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            throw new CorruptBlockException(blockDir, "no " + FILE_NAME);
        }
        BlockMeta meta;
        try {
            meta = fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new CorruptBlockException(blockDir, e.getMessage(), e);
        }
        String dirName = blockDir.getFileName().toString();
        if (Ulid.isValid(dirName) && !Ulid.parse(dirName).equals(meta.ulid())) {
            throw new CorruptBlockException(blockDir, FILE_NAME + " names block " + meta.ulid()
                    + ", not the directory's " + dirName);
        }
        return meta;
    }

    /** Replaces {@code <blockDir>/meta.json} atomically (temporary file, fsync, rename, fsync dir). */
    public void write(Path blockDir) throws IOException {
        FileUtil.writeAtomically(blockDir, FILE_NAME, toJson());
    }
}
