package dev.conduit.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.Channel;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Sender;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stress test of the instant of disconnection, which the model checker cannot reach (Lincheck 3.7
 * never switches threads just before the {@code getAndBitwiseOr} that sets the disconnect mark;
 * see {@link LincheckBlockingTest}).
 *
 * <p>Property: once a handle reports {@code isDisconnected()}, the channel behaves disconnected
 * for that thread: a {@code trySend} throws {@link DisconnectedException} (it neither succeeds nor
 * returns false), and a {@code tryRecv} on an empty channel throws it (it does not return null).
 * Each round closes the last handle of one side in one thread while another thread polls
 * {@code isDisconnected()} and acts the moment it turns true.
 *
 * <p>Sizes: {@code -Dconduit.lincheck.windowMillis=N} per case (default 700).
 */
class DisconnectWindowStressTest {

    static final long MILLIS = Long.getLong("conduit.lincheck.windowMillis", 700);

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 16, -1})
    void sendAfterSeeingReceiversGoneThrows(int capacity) throws Exception {
        String bad = run(capacity, true);
        assertThat(bad).as("a trySend after isDisconnected() returned true").isNull();
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 16, -1})
    void recvAfterSeeingSendersGoneThrows(int capacity) throws Exception {
        String bad = run(capacity, false);
        assertThat(bad).as("a tryRecv on an empty channel after isDisconnected() returned true").isNull();
    }

    /** Runs rounds for {@link #MILLIS}; returns a description of the first violation, or null. */
    private static String run(int capacity, boolean closeReceiver) throws Exception {
        long end = System.nanoTime() + MILLIS * 1_000_000;
        int rounds = 0;
        Thread closer = null;
        try {
            while (System.nanoTime() - end < 0) {
                Channel<Integer> ch = LincheckBlockingTest.make(capacity);
                Sender<Integer> tx = ch.sender();
                Receiver<Integer> rx = ch.receiver();
                int r = ++rounds;
                closer = Thread.ofPlatform().start(() -> {
                    if (closeReceiver) {
                        rx.close();
                    } else {
                        tx.close();
                    }
                });
                for (;;) {
                    boolean gone = closeReceiver ? tx.isDisconnected() : rx.isDisconnected();
                    if (!gone) {
                        Thread.onSpinWait();
                        continue;
                    }
                    try {
                        if (closeReceiver) {
                            boolean sent = tx.trySend(r);
                            return "round " + r + ": isDisconnected() was true, then trySend returned " + sent;
                        } else {
                            Integer m = rx.tryRecv();
                            return "round " + r + ": isDisconnected() was true, then tryRecv returned " + m;
                        }
                    } catch (DisconnectedException expected) {
                        break;
                    }
                }
                closer.join();
            }
            return null;
        } finally {
            if (closer != null) {
                closer.join();
            }
            System.out.printf("disconnect window, capacity %d, %s side: %d rounds%n", capacity,
                    closeReceiver ? "receiver" : "sender", rounds);
        }
    }
}
