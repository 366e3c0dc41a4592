package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes allocated per message, measured with the JDK's per-thread allocation counter
 * ({@link AllocationCounter}, i.e. {@code ThreadMXBean#getCurrentThreadAllocatedBytes}) around
 * loops that send and receive one pre-allocated message: single-threaded, and (for the waiting path)
 * a sender and a receiver on two threads that block on each other.
 * <p>
 * The measurement itself allocates nothing: the loop only calls the channel and compares references,
 * and the counter is read twice into {@code long}s (a calibration run of an empty measurement checks
 * that). Slack: at most {@value #SLACK_BYTES_PER_MESSAGE} bytes per message on average (10 KB over a
 * million messages), for a stray JVM-internal allocation attributed to this thread; a library that
 * allocated anything per message (16 bytes at the least) fails by three orders of magnitude.
 * <p>
 * Warm-up: 200,000 pairs first; then the measurement is repeated up to 5 times and the best round
 * counts, because until the JIT has compiled the loop, interpreted code may allocate what compiled
 * code (after escape analysis) does not. "After warm-up" means: some round allocates nothing.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AllocationTest {

    private static final int MESSAGES = 1_000_000;
    private static final int WARMUP = 200_000;
    private static final int ROUNDS = 5;
    static final double SLACK_BYTES_PER_MESSAGE = 0.01;
    /**
     * The target for the unbounded flavor: at most one block per 32 messages. A block of the list is
     * an {@code Object[63]} (272 B with compressed references: a 16-byte header, 63 x 4, aligned)
     * and its 24-byte holder, 296 B in all, allocated once per 63 messages: 4.7 B a message. One
     * block per 32 messages would be 296 / 32 = 9.25 B a message, the bound here; anything
     * allocated per message (a 16-byte object at least) breaks it.
     */
    static final double UNBOUNDED_MAX_BYTES_PER_MESSAGE = 296.0 / 32;

    private static final String MSG = "message";

    @BeforeAll
    static void counter() {
        assumeTrue(AllocationCounter.isSupported(), "this JVM has no per-thread allocation counter");
    }

    @FunctionalInterface
    private interface Loop {
        /** Moves {@code n} messages; returns the number of anomalies (a failed trySend, a wrong message). */
        long run(Sender<String> tx, Receiver<String> rx, int n) throws InterruptedException;
    }

    /** trySend then tryRecv, one message at a time. */
    private static long tryPairs(Sender<String> tx, Receiver<String> rx, int n) {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            if (!tx.trySend(MSG)) {
                bad++;
            }
            if (rx.tryRecv() != MSG) {
                bad++;
            }
        }
        return bad;
    }

    /** send then recv, one message at a time. */
    private static long blockingPairs(Sender<String> tx, Receiver<String> rx, int n) throws InterruptedException {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            tx.send(MSG);
            if (rx.recv() != MSG) {
                bad++;
            }
        }
        return bad;
    }

    /** Fill the buffer with send, then empty it with recv (capacity per batch, at most 1024): wraps the ring. */
    private static long blockingBatches(Sender<String> tx, Receiver<String> rx, int n) throws InterruptedException {
        int batch = Math.min(1024, tx.capacity().orElse(1024));
        long bad = 0;
        for (int i = 0; i < n; i += batch) {
            for (int j = 0; j < batch; j++) {
                tx.send(MSG);
            }
            for (int j = 0; j < batch; j++) {
                if (rx.recv() != MSG) {
                    bad++;
                }
            }
        }
        return bad;
    }

    /** The best bytes-per-message figure over up to {@link #ROUNDS} rounds, after warm-up. */
    private static double bestBytesPerMessage(Flavors.Flavor f, String what, Loop loop, double goal)
            throws InterruptedException {
        Channel<String> ch = f.create();
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        assertThat(loop.run(tx, rx, WARMUP)).as("anomalies during warm-up").isZero();
        // calibration: an empty measurement allocates nothing
        long c0 = AllocationCounter.currentThread();
        long c1 = AllocationCounter.currentThread();
        assertThat(c1 - c0).as("bytes allocated by reading the counter").isZero();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS && best > goal; round++) {
            long before = AllocationCounter.currentThread();
            long bad = loop.run(tx, rx, MESSAGES);
            long after = AllocationCounter.currentThread();
            assertThat(bad).as("anomalies (refused trySend or wrong message)").isZero();
            best = Math.min(best, (double) (after - before) / MESSAGES);
        }
        assertThat(rx.isEmpty()).isTrue();
        System.out.printf("AllocationTest: %s, %s: %.4f bytes/message%n", f, what, best);
        return best;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#ring")
    @DisplayName("bounded: after warm-up, 1,000,000 trySend/tryRecv pairs allocate 0 bytes per message")
    void boundedTryPairsAllocateNothing(Flavors.Flavor f) throws InterruptedException {
        double b = bestBytesPerMessage(f, "trySend/tryRecv", (tx, rx, n) -> tryPairs(tx, rx, n),
                SLACK_BYTES_PER_MESSAGE);
        assertThat(b).as("bytes per message").isLessThan(SLACK_BYTES_PER_MESSAGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#ring")
    @DisplayName("bounded: after warm-up, 1,000,000 send/recv pairs allocate 0 bytes per message")
    void boundedBlockingPairsAllocateNothing(Flavors.Flavor f) throws InterruptedException {
        double b = bestBytesPerMessage(f, "send/recv", AllocationTest::blockingPairs, SLACK_BYTES_PER_MESSAGE);
        assertThat(b).as("bytes per message").isLessThan(SLACK_BYTES_PER_MESSAGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#ring")
    @DisplayName("bounded: after warm-up, 1,000,000 messages sent and received in full-buffer batches allocate 0 bytes per message")
    void boundedBatchesAllocateNothing(Flavors.Flavor f) throws InterruptedException {
        double b = bestBytesPerMessage(f, "send/recv batches", AllocationTest::blockingBatches,
                SLACK_BYTES_PER_MESSAGE);
        assertThat(b).as("bytes per message").isLessThan(SLACK_BYTES_PER_MESSAGE);
    }

    /**
     * A sender and a receiver on two threads at capacity 0 and 1, where one of them blocks on the
     * other for nearly every message: the waiting path (the waiter's own entry, parking, the
     * rendezvous hand-off) must allocate nothing either. Each thread reads its own counter; the
     * best of up to {@link #ROUNDS} rounds of {@value #HANDOFFS} messages counts, after a warm-up.
     */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    @DisplayName("blocked hand-offs: a sender and a receiver that wait for each other allocate 0 bytes per message")
    void blockedHandOffsAllocateNothing(int capacity) throws Exception {
        Channel<String> ch = Channels.bounded(capacity);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        double[] receiverBest = {Double.MAX_VALUE};
        long[] receiverBad = {0};
        Thread receiver = new Thread(() -> {
            try {
                receiverBad[0] += countWrong(rx, HANDOFFS);
                for (int round = 0; round < ROUNDS; round++) {
                    long before = AllocationCounter.currentThread();
                    receiverBad[0] += countWrong(rx, HANDOFFS);
                    long after = AllocationCounter.currentThread();
                    receiverBest[0] = Math.min(receiverBest[0], (double) (after - before) / HANDOFFS);
                }
            } catch (InterruptedException e) {
                receiverBad[0] = -1;
            }
        });
        receiver.start();
        double senderBest = Double.MAX_VALUE;
        for (int i = 0; i < HANDOFFS; i++) {
            tx.send(MSG);
        }
        for (int round = 0; round < ROUNDS; round++) {
            long before = AllocationCounter.currentThread();
            for (int i = 0; i < HANDOFFS; i++) {
                tx.send(MSG);
            }
            long after = AllocationCounter.currentThread();
            senderBest = Math.min(senderBest, (double) (after - before) / HANDOFFS);
        }
        receiver.join();
        System.out.printf("AllocationTest: blocked hand-offs at capacity %d: sender %.4f, receiver %.4f bytes/message%n",
                capacity, senderBest, receiverBest[0]);
        assertThat(receiverBad[0]).as("wrong messages received (or -1: interrupted)").isZero();
        assertThat(senderBest).as("sender's bytes per message").isLessThan(SLACK_BYTES_PER_MESSAGE);
        assertThat(receiverBest[0]).as("receiver's bytes per message").isLessThan(SLACK_BYTES_PER_MESSAGE);
    }

    private static final int HANDOFFS = 100_000;

    private static long countWrong(Receiver<String> rx, int n) throws InterruptedException {
        long bad = 0;
        for (int i = 0; i < n; i++) {
            if (rx.recv() != MSG) {
                bad++;
            }
        }
        return bad;
    }

    @Test
    @DisplayName("unbounded: sending and receiving in batches of 1024 allocates at most one block per 32 messages (9.25 bytes a message)")
    void unboundedAllocatesPerBlockOnly() throws InterruptedException {
        double b = bestBytesPerMessage(Flavors.UNBOUNDED_LIST, "send/recv batches of 1024",
                AllocationTest::blockingBatches, 0);
        assertThat(b).as("bytes per message").isLessThanOrEqualTo(UNBOUNDED_MAX_BYTES_PER_MESSAGE);
    }

    @Test
    @DisplayName("unbounded: trySend/tryRecv pairs allocate at most one block per 32 messages (9.25 bytes a message)")
    void unboundedPairsAllocatePerBlockOnly() throws InterruptedException {
        double b = bestBytesPerMessage(Flavors.UNBOUNDED_LIST, "trySend/tryRecv", (tx, rx, n) -> tryPairs(tx, rx, n),
                0);
        assertThat(b).as("bytes per message").isLessThanOrEqualTo(UNBOUNDED_MAX_BYTES_PER_MESSAGE);
    }
}
