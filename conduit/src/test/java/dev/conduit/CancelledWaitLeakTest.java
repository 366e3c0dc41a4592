package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cancelled waits leak nothing (issue "Prove it", leak checks): after many waits cancelled by an
 * interrupt, or lost by a select branch while another branch won, the channel holds no waiter
 * entry (the internal count) and no reference to the thread that waited (a weak reference to that
 * thread is cleared by GC while the channel itself stays strongly reachable). Timed-out waits are
 * counted the same way in {@code TimeoutInterruptTest}.
 *
 * <p>Every cancellation here hits a wait that was registered: the canceller waits until the
 * channel's waiter count shows the wait, then interrupts (or completes the other branch). So each
 * round exercises the unregister path, not the "interrupted before it started" shortcut. Per
 * flavor {@value #ROUNDS} rounds of each kind, on a platform and on a virtual thread: about
 * 100,000 cancelled waits of each kind over the six flavors.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CancelledWaitLeakTest {

    static final int ROUNDS = 8_500 * TestSupport.scale();

    /** A wait whose cancellation is counted: runs on the waiting thread. */
    @FunctionalInterface
    private interface Wait {
        void run() throws InterruptedException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("waits interrupted while registered leave no waiter and no reference to their thread")
    void interruptedWaitsLeakNothing(Flavors.Flavor f) throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            Channel<Integer> ch = f.create();
            // Receives on the empty channel, and on bounded flavors as many sends into a full one.
            int prefilled = 0;
            if (f.canBlockSend()) {
                while (prefilled < f.room() && ch.sender().trySend(-1)) {
                    prefilled++;
                }
            }
            Channel<Integer> send = f.canBlockSend() ? ch : null;
            Channel<Integer> empty = f.create();
            cancelRegisteredWaits(virtual, ROUNDS, empty.receiver(), () -> empty.receiver().recv(), null,
                    "interrupted recv on " + f);
            if (send != null) {
                cancelRegisteredWaits(virtual, ROUNDS, send.receiver(), () -> send.sender().send(7), null,
                        "interrupted send on " + f);
                assertThat(send.receiver().size()).as("nothing was delivered by an interrupted send").isEqualTo(prefilled);
            }
            assertThat(empty.receiver().tryRecv()).as("nothing appeared in the empty channel").isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("select branches that lost to another branch leave no waiter and no reference to their thread")
    void losingSelectBranchesLeakNothing(Flavors.Flavor f) throws Exception {
        for (boolean virtual : new boolean[] {false, true}) {
            Channel<Integer> watched = f.create();
            Channel<Integer> winner = Channels.unbounded();
            Select<Integer> select = new Select<Integer>()
                    .recv(watched.receiver(), m -> {
                        throw new AssertionError("the watched branch completed with " + m);
                    })
                    .recv(winner.receiver(), m -> m);
            AtomicInteger won = new AtomicInteger();
            cancelRegisteredWaits(virtual, ROUNDS, watched.receiver(), () -> {
                if (select.select() == 1) {
                    won.incrementAndGet();
                }
            }, () -> winner.sender().send(1), "select losing a branch on " + f);
            assertThat(won.get()).as("selects won by the other branch").isEqualTo(ROUNDS);
            assertThat(winner.receiver().waiterCount()).as("waiters left on the winning channel").isZero();
        }
    }

    /**
     * A rendezvous send that gave up (timed out, interrupted, or met a disconnection) does not
     * keep its message reachable: the thread's reused waiting entry must let go of it. The
     * sending thread stays alive, so its thread-local waiter does too.
     */
    @org.junit.jupiter.api.Test
    @DisplayName("a rendezvous send that gave up leaves its message collectable while its thread lives")
    void failedRendezvousSendReleasesItsMessage() throws Exception {
        Channel<Object> ch = Channels.bounded(0);
        Object message = new Object();
        WeakReference<Object> ref = new WeakReference<>(message);
        assertThat(ch.sender().trySend(message, Duration.ofMillis(5))).as("timed out").isFalse();
        message = null;
        TestSupport.awaitCondition("the unsent message of a timed-out rendezvous send is garbage-collected", () -> {
            System.gc();
            return ref.get() == null;
        });
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    /**
     * Runs {@code rounds} waits on a fresh thread; for each, waits until {@code watched} counts a
     * registered waiter, then cancels it: by {@code cancel} if given (the wait must then return
     * normally), else by interrupting the thread (the wait must throw InterruptedException). Then
     * checks that the channel holds no waiter and that the thread, once ended, is collectable.
     */
    private static void cancelRegisteredWaits(boolean virtual, int rounds, Receiver<Integer> watched, Wait wait,
            Wait cancel, String what) throws Exception {
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable body = () -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    try {
                        wait.run();
                        if (cancel == null) {
                            throw new AssertionError(what + ": round " + i + " returned instead of being interrupted");
                        }
                    } catch (InterruptedException expected) {
                        if (cancel != null) {
                            throw new AssertionError(what + ": round " + i + " interrupted", expected);
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            throw new AssertionError(what + ": interrupt status not cleared");
                        }
                    }
                    done.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
                done.set(Integer.MAX_VALUE);
            }
        };
        Thread t = virtual ? Thread.ofVirtual().unstarted(body) : new Thread(body);
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(100).toNanos();
        for (int i = 0; i < rounds && done.get() != Integer.MAX_VALUE; i++) {
            while (watched.waiterCount() == 0 && done.get() == i) {
                Thread.yield();
                assertThat(System.nanoTime() - deadline).as("%s: round %d never registered", what, i).isNegative();
            }
            if (cancel == null) {
                t.interrupt();
            } else {
                cancel.run();
            }
            while (done.get() == i) {
                Thread.onSpinWait();
                assertThat(System.nanoTime() - deadline).as("%s: round %d was not cancelled", what, i).isNegative();
            }
        }
        t.join(Duration.ofSeconds(30).toMillis());
        assertThat(failure.get()).as(what).isNull();
        assertThat(done.get()).as("%s: rounds completed", what).isEqualTo(rounds);
        assertThat(watched.waiterCount()).as("%s: waiters left after %d cancelled waits", what, rounds).isZero();
        WeakReference<Thread> ref = new WeakReference<>(t);
        t = null;
        TestSupport.awaitCondition(what + ": the waiting thread is garbage-collected while the channel lives", () -> {
            System.gc();
            return ref.get() == null;
        });
        // The channel is still reachable here, and still works.
        assertThat(watched.isClosed()).isFalse();
        assertThat(watched.waiterCount()).isZero();
    }
}
