package io.mantis.common.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test records whose bytes follow from their id, so a replayed record can be checked alone. */
final class Records {

    private Records() {
    }

    /** Record {@code id}: the id, then up to {@code maxExtra} bytes derived from it. */
    static byte[] record(long id, int maxExtra) {
        Random r = new Random(id * 0x9E3779B97F4A7C15L);
        byte[] b = new byte[8 + (maxExtra == 0 ? 0 : r.nextInt(maxExtra + 1))];
        ByteBuffer.wrap(b).putLong(id);
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    /** The id of a replayed record, after checking its bytes are exactly {@link #record}'s. */
    static long check(ByteBuffer rec, int maxExtra) {
        long id = rec.getLong(rec.position());
        byte[] expected = record(id, maxExtra);
        if (!ByteBuffer.wrap(expected).equals(rec)) {
            throw new AssertionError("record " + id + " came back with other bytes");
        }
        return id;
    }

    record Replayed(long id, int segment) {
    }

    /** Replays {@code dir} and returns the ids in replay order. */
    static List<Long> ids(Path dir, int maxExtra) throws IOException {
        List<Long> out = new ArrayList<>();
        new WalReader(dir).replay((rec, seg) -> out.add(check(rec, maxExtra)));
        return out;
    }

    static List<Long> ids(WriteAheadLog wal, int maxExtra) throws IOException {
        List<Long> out = new ArrayList<>();
        wal.replay((rec, seg) -> out.add(check(rec, maxExtra)));
        return out;
    }

    static ByteBuffer[] batch(long firstId, int n, int maxExtra) {
        ByteBuffer[] b = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            b[i] = ByteBuffer.wrap(record(firstId + i, maxExtra));
        }
        return b;
    }
}
