package dev.conduit;

import static dev.conduit.TestSupport.awaitNoWaiters;
import static dev.conduit.TestSupport.awaitWaiters;
import static dev.conduit.TestSupport.fill;
import static dev.conduit.TestSupport.scale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interrupts and timeouts: an interrupted or timed-out send never delivers its message later, a
 * timed-out or interrupted receive never consumes one, interrupts before and during the wait, and
 * many cancelled waits leave no waiter behind (checked with the {@code waiterCount()} hook).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimeoutInterruptTest {

    private static final Duration LONG = Duration.ofDays(1);

    /** Short timeouts cycled by the race tests and the many-waits test: zero, negative, and a few micro/milliseconds. */
    private static final Duration[] SHORT = {Duration.ZERO, Duration.ofNanos(1_000), Duration.ofNanos(10_000),
        Duration.ofNanos(-5), Duration.ofNanos(30_000), Duration.ofNanos(100_000), Duration.ofNanos(300_000)};

    /** Asserts that no further message can be received: nothing buffered, and no sender hands one over. */
    private static void assertNothingMore(Receiver<Integer> rx) throws InterruptedException {
        assertThat(rx.tryRecv()).as("a message that should never have been delivered").isNull();
        assertThat(rx.tryRecv(Duration.ofMillis(30))).as("a message delivered late").isNull();
    }

    /** Receives the n prefilled messages 0..n-1, then asserts nothing more arrives. */
    private static void assertOnlyPrefilled(Receiver<Integer> rx, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            assertThat(rx.tryRecv()).isEqualTo(i);
        }
        assertNothingMore(rx);
    }

    /** A message sent after a cancelled receive is still available: it was not taken by the cancelled waiter. */
    private static void assertNextMessageStillArrives(Flavors.Flavor f, Channel<Integer> ch) throws InterruptedException {
        if (f.isRendezvous()) {
            assertThat(ch.sender().trySend(42)).as("the cancelled receiver must no longer be waiting").isFalse();
            Async<Integer> r = Async.call("receiver", ch.receiver()::recv);
            ch.sender().send(42);
            assertThat(r.get()).isEqualTo(42);
        } else {
            assertThat(ch.sender().trySend(42)).isTrue();
            assertThat(ch.receiver().tryRecv()).as("the message is still buffered").isEqualTo(42);
        }
    }

    // ---------------------------------------------------------------- interrupt before the call

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("a send that would block, called with the interrupt set, throws InterruptedException at once, clears the status and never delivers")
    void interruptBeforeBlockingSend(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = fill(f, ch.sender());
        for (int form = 0; form < 2; form++) {
            Thread.currentThread().interrupt();
            long start = System.nanoTime();
            int m = -1 - form;
            assertThatThrownBy(() -> {
                if (m == -1) {
                    ch.sender().send(m);
                } else {
                    ch.sender().trySend(m, LONG);
                }
            }).isInstanceOf(InterruptedException.class);
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos());
            assertThat(Thread.interrupted()).as("interrupt status cleared").isFalse();
        }
        assertThat(ch.sender().waiterCount()).isZero();
        assertOnlyPrefilled(ch.receiver(), n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a receive on an empty channel, called with the interrupt set, throws InterruptedException at once and clears the status")
    void interruptBeforeBlockingRecv(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        for (int form = 0; form < 2; form++) {
            Thread.currentThread().interrupt();
            boolean blockingForm = form == 0;
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                if (blockingForm) {
                    ch.receiver().recv();
                } else {
                    ch.receiver().tryRecv(LONG);
                }
            }).isInstanceOf(InterruptedException.class);
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos());
            assertThat(Thread.interrupted()).as("interrupt status cleared").isFalse();
        }
        assertThat(ch.receiver().waiterCount()).isZero();
        assertNextMessageStillArrives(f, ch);
    }

    /**
     * When the operation is ready, an implementation may either complete it (then the interrupt status
     * stays set) or throw InterruptedException (then the status is cleared and nothing happened).
     * Anything else (completing and clearing, or throwing after delivering) breaks the contract.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a ready send or recv called with the interrupt set either completes (status kept) or throws (status cleared, nothing done)")
    void interruptBeforeReadyOperationIsConsistent(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        // send, ready: room (or a waiting receiver)
        Async<Integer> waiting = null;
        if (f.isRendezvous()) {
            waiting = Async.call("receiver", () -> rx.tryRecv(Duration.ofSeconds(1)));
            awaitWaiters(rx, 1);
        }
        Thread.currentThread().interrupt();
        boolean sent;
        try {
            tx.send(5);
            sent = true;
            assertThat(Thread.interrupted()).as("completed: interrupt status kept").isTrue();
        } catch (InterruptedException e) {
            sent = false;
            assertThat(Thread.interrupted()).as("threw: interrupt status cleared").isFalse();
        }
        Integer got = waiting != null ? waiting.get() : rx.tryRecv();
        assertThat(got).as("delivered iff send returned normally").isEqualTo(sent ? Integer.valueOf(5) : null);

        // recv, ready: a buffered message (or a waiting sender)
        Async<Void> sender = null;
        if (f.isRendezvous()) {
            sender = Async.run("sender", () -> tx.trySend(6, Duration.ofSeconds(1)));
            awaitWaiters(tx, 1);
        } else {
            tx.send(6);
        }
        Thread.currentThread().interrupt();
        Integer received;
        try {
            received = rx.recv();
            assertThat(received).isEqualTo(6);
            assertThat(Thread.interrupted()).as("completed: interrupt status kept").isTrue();
        } catch (InterruptedException e) {
            received = null;
            assertThat(Thread.interrupted()).as("threw: interrupt status cleared").isFalse();
            if (!f.isRendezvous()) {
                assertThat(rx.tryRecv()).as("threw: the message was not consumed").isEqualTo(6);
            }
        }
        if (sender != null) {
            sender.get();
        }
        assertThat(received == null || received == 6).isTrue();
    }

    // ---------------------------------------------------------------- interrupt during the wait

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("a send interrupted while blocked throws InterruptedException, clears the status, unregisters, and never delivers")
    void interruptDuringSend(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = fill(f, ch.sender());
        Async<Void> a = Async.run("send", () -> ch.sender().send(-1));
        Async<Boolean> b = Async.call("trySend(timeout)", () -> ch.sender().trySend(-2, LONG));
        awaitWaiters(ch.sender(), 2);
        a.interrupt();
        b.interrupt();
        assertThat(a.failure()).isInstanceOf(InterruptedException.class);
        assertThat(b.failure()).isInstanceOf(InterruptedException.class);
        assertThat(a.interruptedAtEnd()).as("status cleared").isFalse();
        assertThat(b.interruptedAtEnd()).as("status cleared").isFalse();
        awaitNoWaiters(ch.receiver());
        assertOnlyPrefilled(ch.receiver(), n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a receive interrupted while blocked throws InterruptedException, clears the status, and consumes nothing")
    void interruptDuringRecv(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Async<Integer> a = Async.call("recv", ch.receiver()::recv);
        Async<Integer> b = Async.call("tryRecv(timeout)", () -> ch.receiver().tryRecv(LONG));
        awaitWaiters(ch.receiver(), 2);
        a.interrupt();
        b.interrupt();
        assertThat(a.failure()).isInstanceOf(InterruptedException.class);
        assertThat(b.failure()).isInstanceOf(InterruptedException.class);
        assertThat(a.interruptedAtEnd()).as("status cleared").isFalse();
        assertThat(b.interruptedAtEnd()).as("status cleared").isFalse();
        awaitNoWaiters(ch.receiver());
        assertNextMessageStillArrives(f, ch);
    }

    // ---------------------------------------------------------------- timeouts

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("a timed-out send never delivers its message later")
    void timedOutSendNeverDelivers(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = fill(f, ch.sender());
        assertThat(ch.sender().trySend(-1, Duration.ofMillis(30))).isFalse();
        assertThat(ch.sender().trySend(-2, Duration.ofNanos(1))).isFalse();
        assertThat(ch.sender().waiterCount()).isZero();
        assertOnlyPrefilled(ch.receiver(), n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a timed-out receive never consumes a message: one sent right after the timeout is still there")
    void timedOutRecvNeverConsumes(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        assertThat(ch.receiver().tryRecv(Duration.ofMillis(30))).isNull();
        assertThat(ch.receiver().waiterCount()).isZero();
        assertNextMessageStillArrives(f, ch);
    }

    // ---------------------------------------------------------------- races

    /** Receives until {@code done} is set and nothing more is ready, with short timed receives. */
    private static List<Integer> receiveWithShortTimeouts(Receiver<Integer> rx, AtomicBoolean done)
            throws InterruptedException {
        List<Integer> got = new ArrayList<>();
        int k = 0;
        while (true) {
            Integer m = rx.tryRecv(SHORT[k++ % SHORT.length]);
            if (m != null) {
                got.add(m);
            } else if (done.get()) {
                Integer last;
                while ((last = rx.tryRecv()) != null) {
                    got.add(last);
                }
                return got;
            }
        }
    }

    private static void assertReceivedExactly(List<Integer> received, BitSet completed, int n) {
        BitSet seen = new BitSet(n);
        int previous = -1;
        for (int m : received) {
            assertThat(seen.get(m)).as("message %d received twice", m).isFalse();
            assertThat(completed.get(m)).as("message %d received although its send reported failure", m).isTrue();
            assertThat(m).as("FIFO").isGreaterThan(previous);
            seen.set(m);
            previous = m;
        }
        BitSet missing = (BitSet) completed.clone();
        missing.andNot(seen);
        assertThat(missing.cardinality()).as("sends that succeeded but were never received: %s", missing).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("racing a receiver, exactly the sends whose trySend(m, timeout) returned true are received, once each")
    void timedSendsRace(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = 20_000 * scale();
        BitSet completed = new BitSet(n);
        AtomicBoolean done = new AtomicBoolean();
        Async<Void> sender = Async.run("timed sender", () -> {
            for (int i = 0; i < n; i++) {
                if (ch.sender().trySend(i, SHORT[(i * 3) % SHORT.length])) {
                    completed.set(i);
                }
            }
            done.set(true);
        });
        List<Integer> received = receiveWithShortTimeouts(ch.receiver(), done);
        sender.get(Duration.ofSeconds(60L * scale()));
        assertReceivedExactly(received, completed, n);
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("racing interrupts and a receiver, exactly the sends that returned normally are received, once each")
    void interruptedSendsRace(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = 20_000 * scale();
        BitSet completed = new BitSet(n);
        AtomicBoolean done = new AtomicBoolean();
        Async<Integer> sender = Async.call("interrupted sender", () -> {
            int interrupted = 0;
            for (int i = 0; i < n; i++) {
                try {
                    ch.sender().send(i);
                    completed.set(i);
                } catch (InterruptedException e) {
                    interrupted++;
                }
            }
            Thread.interrupted();
            done.set(true);
            return interrupted;
        });
        Async<Void> interrupter = Async.run("interrupter", () -> {
            while (!done.get()) {
                sender.interrupt();
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
            }
        });
        List<Integer> received = receiveWithShortTimeouts(ch.receiver(), done);
        int interrupted = sender.get(Duration.ofSeconds(60L * scale()));
        interrupter.get();
        assertReceivedExactly(received, completed, n);
        assertThat(received.size() + interrupted).isEqualTo(n);
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("racing a sender, receives with short timeouts lose no message: every message sent is received once, in order")
    void timedRecvsRace(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = 20_000 * scale();
        Async<Void> sender = Async.run("sender", () -> {
            try (Sender<Integer> tx = ch.sender()) {
                for (int i = 0; i < n; i++) {
                    tx.send(i);
                }
            }
        });
        List<Integer> received = new ArrayList<>();
        int k = 0;
        try {
            while (true) {
                Integer m = ch.receiver().tryRecv(SHORT[k++ % SHORT.length]);
                if (m != null) {
                    received.add(m);
                }
            }
        } catch (DisconnectedException end) {
            // every sender closed and the channel drained
        }
        sender.get();
        BitSet all = new BitSet(n);
        all.set(0, n);
        assertReceivedExactly(received, all, n);
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("racing a sender, receives that are interrupted lose no message: every message sent is received once, in order")
    void interruptedRecvsRace(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = 20_000 * scale();
        AtomicBoolean done = new AtomicBoolean();
        Async<List<Integer>> receiver = Async.call("interrupted receiver", () -> {
            List<Integer> got = new ArrayList<>();
            try {
                while (true) {
                    try {
                        got.add(ch.receiver().recv());
                    } catch (InterruptedException e) {
                        // try again; an interrupted recv must not have taken a message
                    }
                }
            } catch (DisconnectedException end) {
                done.set(true);
                Thread.interrupted();
                return got;
            }
        });
        Async<Void> interrupter = Async.run("interrupter", () -> {
            while (!done.get() && !receiver.isDone()) {
                receiver.interrupt();
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
            }
        });
        try (Sender<Integer> tx = ch.sender()) {
            for (int i = 0; i < n; i++) {
                tx.send(i);
            }
        }
        List<Integer> received = receiver.get(Duration.ofSeconds(60L * scale()));
        interrupter.get();
        BitSet all = new BitSet(n);
        all.set(0, n);
        assertReceivedExactly(received, all, n);
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    // ---------------------------------------------------------------- many cancelled waits

    /**
     * 100,000 timed-out waits (zero, negative and 1 µs .. 300 µs timeouts; on bounded flavors half of
     * them sends into the full channel, half receives from the empty one) from 4 platform and 4 virtual
     * threads at once. Afterwards no waiter entry is left, nothing was delivered or consumed, and the
     * channel still works in both directions.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("100,000 timed-out waits leave waiterCount() == 0 and the channel fully working")
    void manyTimedOutWaitsLeaveNoWaiter(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int total = 100_000 * scale();
        int threads = 8;
        long start = System.nanoTime();
        // phase 1: senders time out on the full channel (bounded flavors only)
        int prefilled = fill(f, ch.sender());
        int sendWaits = f.canBlockSend() ? total / 2 : 0;
        runTimedOut(threads, sendWaits, (k) -> {
            if (ch.sender().trySend(-1, SHORT[k % SHORT.length])) {
                throw new AssertionError("trySend into a full channel succeeded");
            }
        });
        assertThat(ch.sender().waiterCount()).as("waiters left after %d timed-out sends", sendWaits).isZero();
        assertOnlyPrefilled(ch.receiver(), prefilled);
        // phase 2: receivers time out on the empty channel
        int recvWaits = total - sendWaits;
        runTimedOut(threads, recvWaits, (k) -> {
            Integer m = ch.receiver().tryRecv(SHORT[k % SHORT.length]);
            if (m != null) {
                throw new AssertionError("tryRecv on an empty channel returned " + m);
            }
        });
        assertThat(ch.receiver().waiterCount()).as("waiters left after %d timed-out receives", recvWaits).isZero();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("TimeoutInterruptTest: %d timed-out waits on %s took %d ms%n", total, f, millis);

        // fully working: a blocking ping-pong, then the counts are zero again
        Channel<Integer> back = Channels.bounded(0);
        Async<Void> echo = Async.run("echo", () -> {
            for (Integer m : ch.receiver()) {
                back.sender().send(m + 1);
            }
        });
        for (int i = 0; i < 1000; i++) {
            ch.sender().send(i);
            assertThat(back.receiver().recv()).isEqualTo(i + 1);
        }
        ch.sender().close();
        echo.get();
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    @FunctionalInterface
    private interface TimedWait {
        void await(int k) throws InterruptedException;
    }

    private static void runTimedOut(int threads, int waits, TimedWait wait) {
        List<Async<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Async.Task<Void> body = () -> {
                for (int k = first; k < waits; k += threads) {
                    wait.await(k);
                }
                return null;
            };
            workers.add(t % 2 == 0 ? Async.call("timed-out waits " + t, body)
                    : Async.callVirtual("timed-out waits " + t, body));
        }
        for (Async<Void> w : workers) {
            w.get(Duration.ofSeconds(60L * scale()));
        }
    }
}
