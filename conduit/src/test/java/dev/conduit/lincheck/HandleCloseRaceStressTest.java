package dev.conduit.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.Channel;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import dev.conduit.TestAccess;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stress companion of {@link LincheckBlockingTest}'s close races, on real threads (platform and
 * virtual) and the real parker: one thread blocks in a receive, a send or a select through a
 * cloned handle, another closes that very handle after a random short delay. The blocked call
 * must end with {@link IllegalStateException} promptly (a lost wake-up leaves it blocked; a
 * select that does not notice the closed handle spins), and the channel must hold no waiter
 * afterwards. Sizes: {@code -Dconduit.lincheck.closeRaceMillis=N} per case (default 800).
 */
class HandleCloseRaceStressTest {

    static final long MILLIS = Long.getLong("conduit.lincheck.closeRaceMillis", 800);
    /** How long a blocked call may take to notice that its handle was closed. */
    static final long PATIENCE_MILLIS = 5_000;

    @ParameterizedTest(name = "{0} on capacity {1}, virtual {2}")
    @CsvSource({
        "recv, 0, false", "recv, 0, true", "recv, 1, false", "recv, -1, true",
        "send, 0, false", "send, 0, true", "send, 1, false",
        "select, 0, false", "select, 0, true", "select, 1, false", "select, -1, true",
    })
    void blockedCallEndsWhenItsHandleCloses(String op, int capacity, boolean virtual) throws Exception {
        long end = System.nanoTime() + MILLIS * 1_000_000;
        int rounds = 0;
        try {
            while (System.nanoTime() - end < 0) {
                rounds++;
                Channel<Integer> ch = LincheckBlockingTest.make(capacity);
                Sender<Integer> tx = ch.sender();
                Receiver<Integer> rx = ch.receiver();
                for (int i = 0; i < capacity; i++) {
                    tx.trySend(i); // full, so that a send blocks
                }
                Sender<Integer> txClone = tx.clone();
                Receiver<Integer> rxClone = rx.clone();
                AtomicReference<Object> outcome = new AtomicReference<>();
                Runnable blocked = () -> {
                    try {
                        switch (op) {
                            case "recv":
                                if (capacity > 0) {
                                    while (rxClone.tryRecv() != null) {
                                        // empty it first, so that the receive blocks
                                    }
                                }
                                outcome.set(rxClone.recv());
                                break;
                            case "send":
                                txClone.send(99);
                                outcome.set("sent");
                                break;
                            default:
                                if (capacity > 0) {
                                    while (rxClone.tryRecv() != null) {
                                        // empty it first
                                    }
                                }
                                outcome.set(new Select<Object>().recv(rxClone, m -> m).select());
                        }
                    } catch (IllegalStateException closed) {
                        outcome.set("closed");
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                };
                Thread t = (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true)).start(blocked);
                long delay = ThreadLocalRandom.current().nextLong(0, 30_000);
                long until = System.nanoTime() + delay;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                if (op.equals("send")) {
                    txClone.close();
                } else {
                    rxClone.close();
                }
                t.join(PATIENCE_MILLIS);
                boolean stuck = t.isAlive();
                int waiters = TestAccess.waiterCount(tx);
                if (stuck) {
                    t.interrupt(); // frees a parked or spinning thread, so that it does not burden later tests
                    t.join(PATIENCE_MILLIS);
                }
                assertThat(stuck)
                        .as("round %d: %s through a handle closed after %d ns still blocked after %d ms (waiters registered: %d)",
                                rounds, op, delay, PATIENCE_MILLIS, waiters)
                        .isFalse();
                assertThat(outcome.get()).as("round %d: outcome of the %s", rounds, op).isEqualTo("closed");
                assertThat(TestAccess.waiterCount(tx)).as("round %d: waiters left", rounds).isZero();
                tx.close();
                rx.close();
            }
        } finally {
            System.out.printf("close race, %s on capacity %d (virtual %s): %d rounds%n", op, capacity, virtual, rounds);
        }
    }
}
