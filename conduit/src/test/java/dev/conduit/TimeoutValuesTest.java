package dev.conduit;

import static dev.conduit.TestSupport.awaitWaiters;
import static dev.conduit.TestSupport.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The meaning of timeout values (API.md, "Timeouts"): {@code Duration.ZERO} = only if ready now,
 * negative = zero, huge = no limit and no overflow; for {@code trySend(m, t)} and {@code tryRecv(t)}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimeoutValuesTest {

    /** Timeouts that must behave exactly like Duration.ZERO. */
    static final List<Duration> ZERO_LIKE = List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-5),
            Duration.ofSeconds(Long.MIN_VALUE), Duration.ofNanos(Long.MIN_VALUE));

    /** Timeouts that must mean "no limit" (none may overflow into the past). */
    static final List<Duration> HUGE = List.of(Duration.ofSeconds(Long.MAX_VALUE),
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofNanos(Long.MAX_VALUE),
            Duration.ofMillis(Long.MAX_VALUE), Duration.ofDays(365L * 10_000));

    /** A call that "must not wait" returns within this bound (generous for slow CI). */
    private static final long PROMPT_NANOS = Duration.ofMillis(500).toNanos();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("zero and negative timeouts: trySend completes when ready now, else returns false at once without waiting")
    void zeroOrNegativeSendTimeout(Flavors.Flavor f) throws InterruptedException {
        for (Duration t : ZERO_LIKE) {
            Channel<Integer> ch = f.create();
            Sender<Integer> tx = ch.sender();
            Receiver<Integer> rx = ch.receiver();
            // ready now
            if (f.isRendezvous()) {
                Async<Integer> r = Async.call("receiver", rx::recv);
                awaitWaiters(rx, 1);
                assertThat(tx.trySend(1, t)).as("trySend(m, %s) with a receiver waiting", t).isTrue();
                assertThat(r.get()).isEqualTo(1);
            } else {
                assertThat(tx.trySend(1, t)).as("trySend(m, %s) with room", t).isTrue();
                assertThat(rx.tryRecv()).isEqualTo(1);
            }
            if (f.isUnbounded()) {
                continue; // never not-ready
            }
            // not ready now
            int n = fill(f, tx);
            long start = System.nanoTime();
            assertThat(tx.trySend(-1, t)).as("trySend(m, %s) on a full channel", t).isFalse();
            assertThat(System.nanoTime() - start).as("trySend(m, %s) returned at once", t).isLessThan(PROMPT_NANOS);
            assertThat(tx.waiterCount()).isZero();
            assertThat(rx.size()).isEqualTo(n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("zero and negative timeouts: tryRecv returns a ready message, else null at once without waiting")
    void zeroOrNegativeRecvTimeout(Flavors.Flavor f) throws InterruptedException {
        for (Duration t : ZERO_LIKE) {
            Channel<Integer> ch = f.create();
            Sender<Integer> tx = ch.sender();
            Receiver<Integer> rx = ch.receiver();
            long start = System.nanoTime();
            assertThat(rx.tryRecv(t)).as("tryRecv(%s) on an empty channel", t).isNull();
            assertThat(System.nanoTime() - start).as("tryRecv(%s) returned at once", t).isLessThan(PROMPT_NANOS);
            assertThat(rx.waiterCount()).isZero();
            if (f.isRendezvous()) {
                Async<Void> s = Async.run("sender", () -> tx.send(2));
                awaitWaiters(tx, 1);
                assertThat(rx.tryRecv(t)).as("tryRecv(%s) with a sender waiting", t).isEqualTo(2);
                s.get();
            } else {
                tx.send(2);
                assertThat(rx.tryRecv(t)).as("tryRecv(%s) with a message buffered", t).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("huge timeouts mean no limit: a not-ready trySend/tryRecv waits (no overflow to 'expired') and completes when its partner comes")
    void hugeTimeoutsWaitWithoutLimit(Flavors.Flavor f) throws InterruptedException {
        for (Duration t : HUGE) {
            Channel<Integer> ch = f.create();
            Sender<Integer> tx = ch.sender();
            Receiver<Integer> rx = ch.receiver();
            // receive side: waits, then gets the message
            Async<Integer> r = Async.call("tryRecv(" + t + ")", () -> rx.tryRecv(t));
            awaitWaiters(rx, 1);
            r.assertBlocked();
            tx.send(1);
            assertThat(r.get()).isEqualTo(1);
            // send side: ready now completes at once
            if (!f.isRendezvous()) {
                assertThat(tx.trySend(2, t)).isTrue();
                assertThat(rx.tryRecv()).isEqualTo(2);
            }
            if (f.isUnbounded()) {
                continue;
            }
            // send side: waits while full, then completes
            int n = fill(f, tx);
            Async<Boolean> s = Async.call("trySend(" + t + ")", () -> tx.trySend(-1, t));
            awaitWaiters(tx, 1);
            s.assertBlocked();
            for (int i = 0; i < n; i++) {
                assertThat(rx.recv()).isEqualTo(i);
            }
            assertThat(rx.recv()).isEqualTo(-1);
            assertThat(s.get()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a wait with a huge timeout is still interruptible")
    void hugeTimeoutInterruptible(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        Async<Integer> r = Async.call("tryRecv(huge)", () -> ch.receiver().tryRecv(Duration.ofSeconds(Long.MAX_VALUE)));
        awaitWaiters(ch.receiver(), 1);
        r.interrupt();
        assertThat(r.failure()).isInstanceOf(InterruptedException.class);
        if (f.canBlockSend()) {
            fill(f, ch.sender());
            Async<Boolean> s = Async.call("trySend(huge)",
                    () -> ch.sender().trySend(-1, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
            awaitWaiters(ch.sender(), 1);
            s.interrupt();
            assertThat(s.failure()).isInstanceOf(InterruptedException.class);
        }
        TestSupport.awaitNoWaiters(ch.receiver());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a null timeout is rejected with NullPointerException by tryRecv(timeout), which consumes nothing")
    void nullRecvTimeout(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        if (!f.isRendezvous()) {
            ch.sender().trySend("kept");
        }
        assertThatThrownBy(() -> ch.receiver().tryRecv(null)).isInstanceOf(NullPointerException.class);
        if (!f.isRendezvous()) {
            assertThat(ch.receiver().tryRecv()).isEqualTo("kept");
        }
    }
}
