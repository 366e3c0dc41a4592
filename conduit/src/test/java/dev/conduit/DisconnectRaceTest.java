package dev.conduit;

import static dev.conduit.TestSupport.scale;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Disconnection racing with traffic, many times over: the last close on one side happens while the
 * other side is sending, receiving or about to park. Every run must end (a waiter missed by the
 * disconnect wake-up hangs, and the bounded wait fails with its stack), no message may be lost or
 * duplicated, and a send that fails carries its own message.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DisconnectRaceTest {

    private static final int ITERATIONS = 200 * scale();

    private static <V> Async<V> start(int iteration, String name, Async.Task<V> task) {
        return iteration % 2 == 0 ? Async.call(name, task) : Async.callVirtual(name, task);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("senders closing while receivers drain and park: receivers get every message once, then all see disconnection")
    void lastSenderCloseRacesReceivers(Flavors.Flavor f) throws InterruptedException {
        for (int it = 0; it < ITERATIONS; it++) {
            Channel<Integer> ch = f.create();
            int[] counts = {ThreadLocalRandom.current().nextInt(0, 40), ThreadLocalRandom.current().nextInt(0, 40)};
            List<Async<List<Integer>>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                Receiver<Integer> rx = ch.receiver().clone();
                consumers.add(start(it, "consumer-" + c, () -> {
                    List<Integer> got = new ArrayList<>();
                    try (rx) {
                        while (true) {
                            got.add(rx.recv());
                        }
                    } catch (DisconnectedException end) {
                        return got;
                    }
                }));
            }
            List<Async<Void>> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                Sender<Integer> tx = ch.sender().clone();
                int base = p * 1000;
                int n = counts[p];
                producers.add(start(it, "producer-" + p, () -> {
                    try (tx) {
                        for (int i = 0; i < n; i++) {
                            tx.send(base + i);
                        }
                    }
                    return null;
                }));
            }
            ch.sender().close();
            ch.receiver().close();
            for (Async<Void> p : producers) {
                p.get();
            }
            BitSet seen = new BitSet();
            int total = 0;
            for (Async<List<Integer>> c : consumers) {
                for (int m : c.get()) {
                    assertThat(seen.get(m)).as("iteration %d: message %d received twice", it, m).isFalse();
                    seen.set(m);
                    total++;
                }
            }
            assertThat(total).as("iteration %d: messages received", it).isEqualTo(counts[0] + counts[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("receivers closing while senders send and park: senders all end with DisconnectedException carrying their message; nothing is received twice or invented")
    void lastReceiverCloseRacesSenders(Flavors.Flavor f) throws InterruptedException {
        for (int it = 0; it < ITERATIONS; it++) {
            Channel<Integer> ch = f.create();
            List<Async<List<Integer>>> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                Receiver<Integer> rx = ch.receiver().clone();
                int n = ThreadLocalRandom.current().nextInt(0, 30);
                consumers.add(start(it, "consumer-" + c, () -> {
                    List<Integer> got = new ArrayList<>();
                    try (rx) {
                        for (int i = 0; i < n; i++) {
                            got.add(rx.recv());
                        }
                    }
                    return got;
                }));
            }
            List<Async<int[]>> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                Sender<Integer> tx = ch.sender().clone();
                int base = p * 100_000_000;
                // returns {messages sent successfully, 1 if the DisconnectedException carried the right message}
                producers.add(start(it, "producer-" + p, () -> {
                    try (tx) {
                        int i = 0;
                        while (true) {
                            Integer m = base + i;
                            try {
                                tx.send(m);
                            } catch (DisconnectedException e) {
                                return new int[] {i, e.unsentMessage() == m ? 1 : 0};
                            }
                            i++;
                            if ((i & 63) == 0) {
                                // on the unbounded flavor a send never blocks: let virtual consumers run
                                Thread.yield();
                            }
                        }
                    }
                }));
            }
            ch.sender().close();
            ch.receiver().close();
            List<Integer> received = new ArrayList<>();
            for (Async<List<Integer>> c : consumers) {
                received.addAll(c.get());
            }
            int[][] results = new int[2][];
            for (int p = 0; p < 2; p++) {
                results[p] = producers.get(p).get();
                assertThat(results[p][1]).as("iteration %d: producer %d's DisconnectedException carries its message", it, p)
                        .isEqualTo(1);
            }
            BitSet seen = new BitSet();
            for (int m : received) {
                int p = m / 100_000_000;
                int seq = m % 100_000_000;
                assertThat(seen.get(m)).as("iteration %d: message %d received twice", it, m).isFalse();
                seen.set(m);
                assertThat(seq).as("iteration %d: message %d was never sent successfully", it, m)
                        .isLessThan(results[p][0]);
            }
            int sent = results[0][0] + results[1][0];
            int discarded = sent - received.size();
            if (f.isRendezvous()) {
                assertThat(discarded).as("iteration %d: a rendezvous send returned but no receiver has its message", it)
                        .isZero();
            } else if (!f.isUnbounded()) {
                assertThat(discarded).as("iteration %d: messages discarded at close exceed the capacity", it)
                        .isBetween(0, f.capacity());
            } else {
                assertThat(discarded).isNotNegative();
            }
        }
    }
}
