package dev.conduit;

import static dev.conduit.TestSupport.scale;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Message conservation under contention: P producers and C consumers on one channel of each flavor.
 * A message is a {@code long} holding (producer id, sequence number). The test checks that every
 * message is received exactly once (per-producer counts and no duplicates across consumers), that each
 * consumer sees each producer's messages in increasing order, and that every consumer ends because the
 * channel disconnected after the producers closed their handles.
 * <p>
 * Sizes at {@code conduit.stress.scale=1}: 1,000,000 messages per flavor (rendezvous included) with
 * 4 x 4 platform threads, and 200,000 per flavor with 16 x 16 virtual threads; each flavor's run takes
 * well under a few seconds on 2 cores. The scale multiplies every count. Producers use the three send
 * forms (send, trySend with a timeout, trySend falling back to send) and consumers the four receive
 * forms (recv, the iterator, tryRecv with a timeout, drainTo falling back to recv).
 */
@Timeout(value = 900, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConservationStressTest {

    private static long encode(int producer, int seq) {
        return ((long) producer << 32) | seq;
    }

    private static int producerOf(long m) {
        return (int) (m >>> 32);
    }

    private static int seqOf(long m) {
        return (int) m;
    }

    /** What one consumer saw. */
    private static final class Seen {
        final BitSet[] seqs;
        final int[] last;
        String orderViolation;
        String badMessage;
        boolean endedByDisconnection;
        long count;

        Seen(int producers) {
            seqs = new BitSet[producers];
            last = new int[producers];
            for (int p = 0; p < producers; p++) {
                seqs[p] = new BitSet();
                last[p] = -1;
            }
        }

        void add(Long m) {
            int p = producerOf(m);
            int s = seqOf(m);
            if (p < 0 || p >= seqs.length || s < 0) {
                if (badMessage == null) {
                    badMessage = "unknown message " + Long.toHexString(m);
                }
                return;
            }
            if (s <= last[p] && orderViolation == null) {
                orderViolation = "producer " + p + ": seq " + s + " after " + last[p];
            }
            last[p] = s;
            if (seqs[p].get(s) && badMessage == null) {
                badMessage = "duplicate: producer " + p + " seq " + s;
            }
            seqs[p].set(s);
            count++;
        }
    }

    private static void produce(Sender<Long> tx, int producer, int count) throws InterruptedException {
        try (tx) {
            for (int s = 0; s < count; s++) {
                Long m = encode(producer, s);
                switch (producer % 3) {
                    case 0 -> tx.send(m);
                    case 1 -> {
                        while (!tx.trySend(m, Duration.ofMillis(1))) {
                            // retry: a timed-out send delivered nothing
                        }
                    }
                    default -> {
                        if (!tx.trySend(m)) {
                            tx.send(m);
                        }
                    }
                }
            }
        }
    }

    private static Seen consume(Receiver<Long> rx, int consumer, int producers) throws InterruptedException {
        Seen seen = new Seen(producers);
        try (rx) {
            switch (consumer % 4) {
                case 0 -> {
                    try {
                        while (true) {
                            seen.add(rx.recv());
                        }
                    } catch (DisconnectedException e) {
                        seen.endedByDisconnection = true;
                    }
                }
                case 1 -> {
                    for (Long m : rx) {
                        seen.add(m);
                    }
                    seen.endedByDisconnection = rx.isDisconnected() && rx.isEmpty();
                }
                case 2 -> {
                    try {
                        while (true) {
                            Long m = rx.tryRecv(Duration.ofMillis(1));
                            if (m != null) {
                                seen.add(m);
                            }
                        }
                    } catch (DisconnectedException e) {
                        seen.endedByDisconnection = true;
                    }
                }
                default -> {
                    List<Long> batch = new ArrayList<>(64);
                    try {
                        while (true) {
                            if (rx.drainTo(batch, 64) == 0) {
                                seen.add(rx.recv());
                            }
                            for (Long m : batch) {
                                seen.add(m);
                            }
                            batch.clear();
                        }
                    } catch (DisconnectedException e) {
                        seen.endedByDisconnection = true;
                    }
                }
            }
        }
        return seen;
    }

    private static void run(Flavors.Flavor f, int producers, int consumers, int total, boolean virtual)
            throws InterruptedException {
        int perProducer = total / producers;
        Channel<Long> ch = f.create();
        List<Async<Void>> ps = new ArrayList<>();
        List<Async<Seen>> cs = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < consumers; c++) {
            Receiver<Long> rx = ch.receiver().clone();
            int id = c;
            Async.Task<Seen> body = () -> consume(rx, id, producers);
            cs.add(virtual ? Async.callVirtual("consumer-" + c, body) : Async.call("consumer-" + c, body));
        }
        for (int p = 0; p < producers; p++) {
            Sender<Long> tx = ch.sender().clone();
            int id = p;
            Async.Task<Void> body = () -> {
                produce(tx, id, perProducer);
                return null;
            };
            ps.add(virtual ? Async.callVirtual("producer-" + p, body) : Async.call("producer-" + p, body));
        }
        // from now on only the workers' handles keep the channel connected
        ch.sender().close();
        ch.receiver().close();

        Duration max = Duration.ofSeconds(120L * scale());
        for (Async<Void> p : ps) {
            p.get(max);
        }
        List<Seen> seen = new ArrayList<>();
        for (Async<Seen> c : cs) {
            seen.add(c.get(max));
        }
        long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);

        long received = 0;
        for (int c = 0; c < consumers; c++) {
            Seen s = seen.get(c);
            assertThat(s.badMessage).as("consumer %d", c).isNull();
            assertThat(s.orderViolation).as("consumer %d: per-producer order", c).isNull();
            assertThat(s.endedByDisconnection).as("consumer %d ended by disconnection", c).isTrue();
            received += s.count;
        }
        for (int p = 0; p < producers; p++) {
            BitSet union = new BitSet(perProducer);
            long sum = 0;
            for (Seen s : seen) {
                sum += s.seqs[p].cardinality();
                union.or(s.seqs[p]);
            }
            assertThat(sum).as("producer %d: messages received (duplicates across consumers count twice)", p)
                    .isEqualTo(perProducer);
            assertThat(union.cardinality()).as("producer %d: distinct messages received", p).isEqualTo(perProducer);
            assertThat(union.nextSetBit(perProducer)).as("producer %d: no sequence beyond the last sent", p)
                    .isEqualTo(-1);
        }
        assertThat(received).isEqualTo((long) perProducer * producers);
        assertThat(ch.receiver().waiterCount()).isZero();
        System.out.printf("ConservationStressTest: %s, %d x %d %s threads, %,d messages in %d ms (%,d msg/s)%n", f,
                producers, consumers, virtual ? "virtual" : "platform", received, millis, received * 1000 / millis);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("4 producers x 4 consumers (platform threads) move 1,000,000 messages: each received once, in order per producer")
    void platformThreads(Flavors.Flavor f) throws InterruptedException {
        int total = 1_000_000 * scale();
        run(f, 4, 4, total, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("while 4 x 4 threads race, size() always stays within [0, capacity] (rendezvous: 0)")
    void sizeStaysInBoundsUnderContention(Flavors.Flavor f) throws InterruptedException {
        Channel<Long> ch = f.create();
        int perProducer = 50_000 * scale();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Async<String> monitor = Async.call("size monitor", () -> {
            long samples = 0;
            while (!done.get()) {
                int size = ch.receiver().size();
                if (size < 0 || size > f.capacity()) {
                    return "size() returned " + size + " on " + f + " after " + samples + " samples";
                }
                samples++;
            }
            return null;
        });
        List<Async<Void>> workers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            Sender<Long> tx = ch.sender().clone();
            int id = p;
            workers.add(Async.call("producer-" + p, () -> {
                produce(tx, id, perProducer);
                return null;
            }));
        }
        for (int c = 0; c < 4; c++) {
            Receiver<Long> rx = ch.receiver().clone();
            int id = c;
            workers.add(Async.call("consumer-" + c, () -> {
                consume(rx, id, 4);
                return null;
            }));
        }
        ch.sender().close();
        for (Async<Void> w : workers) {
            w.get(Duration.ofSeconds(120L * scale()));
        }
        done.set(true);
        assertThat(monitor.get()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("16 producers x 16 consumers (virtual threads) move 200,000 messages: each received once, in order per producer")
    void virtualThreads(Flavors.Flavor f) throws InterruptedException {
        run(f, 16, 16, 200_000 * scale(), true);
    }
}
