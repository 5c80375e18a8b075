package io.mantis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteWriteSenderTest {

    /** What the test server saw: accepted bodies per shard in arrival order, and request headers. */
    private final Map<Integer, List<Integer>> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<String> encodings = Collections.synchronizedList(new ArrayList<>());
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
    }

    /**
     * A write endpoint whose body is (shard, sequence, behaviour): behaviour 1 answers 503 to the
     * first attempt, 2 answers 429 to the first two, 3 always 400; others are accepted.
     */
    private String start() {
        server = Server.builder().http(0).service("/api/v1/write", (ctx, req) -> HttpResponse.of(
                req.aggregate().thenApply(agg -> {
                    encodings.add(agg.headers().get("content-encoding"));
                    byte[] b = agg.content().array();
                    int shard = b[0];
                    int seq = b[1];
                    int behaviour = b[2];
                    int attempt = attempts.computeIfAbsent(shard * 1000 + seq, k -> new AtomicInteger())
                            .incrementAndGet();
                    if (behaviour == 1 && attempt == 1) {
                        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                    }
                    if (behaviour == 2 && attempt <= 2) {
                        return HttpResponse.of(HttpStatus.TOO_MANY_REQUESTS);
                    }
                    if (behaviour == 3) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, "out of order sample");
                    }
                    accepted.computeIfAbsent(shard, k -> Collections.synchronizedList(new ArrayList<>())).add(seq);
                    return HttpResponse.of(HttpStatus.NO_CONTENT);
                }))).build();
        server.start().join();
        return "http://127.0.0.1:" + server.activeLocalPort() + "/api/v1/write";
    }

    private static RemoteWriteSender.Body body(int shard, int seq, int behaviour, int samples) {
        return new RemoteWriteSender.Body(new byte[] {(byte) shard, (byte) seq, (byte) behaviour}, samples, shard);
    }

    @Test
    void retriedRequestsKeepTheOrderOfTheirShard() throws Exception {
        String url = start();
        List<RemoteWriteSender.Body> bodies = new ArrayList<>();
        for (int seq = 0; seq < 20; seq++) {
            for (int shard = 0; shard < 3; shard++) {
                bodies.add(body(shard, seq, seq % 7 == 3 ? 1 : seq % 5 == 1 ? 2 : 0, 10));
            }
        }
        RemoteWriteSender.Result r;
        try (RemoteWriteSender sender = new RemoteWriteSender(url, 3, 5)) {
            r = sender.send(bodies.iterator(), 0, 0);
        }

        List<Integer> inOrder = new ArrayList<>();
        for (int seq = 0; seq < 20; seq++) {
            inOrder.add(seq);
        }
        for (int shard = 0; shard < 3; shard++) {
            assertThat(accepted.get(shard)).as("shard %d", shard).isEqualTo(inOrder);
        }
        assertThat(r.samples()).isEqualTo(600);
        assertThat(r.failed()).isZero();
        // seq 3, 10, 17 fail once; seq 1, 6, 11, 16 twice; per shard.
        assertThat(r.retries()).isEqualTo(3 * (3 + 2 * 4));
        assertThat(r.requests()).isEqualTo(60 + r.retries());
        assertThat(encodings).containsOnly("snappy");
    }

    @Test
    void refusedRequestsAreCountedWithTheServersAnswerAndNotRetried() throws Exception {
        String url = start();
        RemoteWriteSender.Result r;
        try (RemoteWriteSender sender = new RemoteWriteSender(url, 2)) {
            r = sender.send(List.of(body(0, 0, 0, 5), body(1, 0, 3, 7), body(0, 1, 0, 5)).iterator(), 0, 0);
        }
        assertThat(r.samples()).isEqualTo(10);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.retries()).isZero();
        assertThat(r.firstError()).isEqualTo("400 out of order sample");
    }

    @Test
    void aFixedRateSendsNoBodyBeforeItIsDue() throws Exception {
        String url = start();
        List<RemoteWriteSender.Body> bodies = new ArrayList<>();
        for (int seq = 0; seq < 6; seq++) {
            bodies.add(body(seq % 2, seq, 0, 1));
        }
        long spacing = 30_000_000L;
        RemoteWriteSender.Result r;
        try (RemoteWriteSender sender = new RemoteWriteSender(url, 2)) {
            r = sender.send(bodies.iterator(), System.nanoTime(), spacing);
        }
        // The last body is due 5 spacings after the start.
        assertThat(r.seconds()).isGreaterThanOrEqualTo(5 * spacing / 1e9);
        assertThat(r.samples()).isEqualTo(6);
    }
}
