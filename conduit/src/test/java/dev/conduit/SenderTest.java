package dev.conduit;

import static dev.conduit.TestSupport.awaitNoWaiters;
import static dev.conduit.TestSupport.awaitWaiters;
import static dev.conduit.TestSupport.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract of {@link Sender}'s sending methods and status queries on every flavor (API.md, "Sender"). */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SenderTest {

    // ---------------------------------------------------------------- send

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("send with room buffers the message and returns at once; size counts it")
    void sendWithRoomBuffers(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        ch.sender().send("a");
        assertThat(ch.sender().size()).isEqualTo(1);
        assertThat(ch.receiver().size()).isEqualTo(1);
        assertThat(ch.receiver().isEmpty()).isFalse();
        assertThat(ch.receiver().tryRecv()).isEqualTo("a");
        assertThat(ch.receiver().size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("send blocks while the channel is full and completes when a receiver makes room")
    void sendBlocksWhileFull(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = fill(f, tx);
        assertThat(tx.isFull()).isTrue();
        Async<Void> s = Async.run("sender", () -> tx.send(n));
        awaitWaiters(tx, 1);
        s.assertBlocked();
        assertThat(rx.size()).as("the blocked message is not counted as buffered").isEqualTo(n);
        // a receiver makes room (rendezvous: takes the message itself)
        for (int i = 0; i <= n; i++) {
            assertThat(rx.recv()).as("FIFO, the blocked message last").isEqualTo(i);
        }
        s.get();
        assertThat(rx.tryRecv()).isNull();
        awaitNoWaiters(rx);
    }

    @Test
    @DisplayName("rendezvous: send returns only after a receiver took the message (nothing is left in the channel)")
    void rendezvousSendReturnsAfterTaken() throws InterruptedException {
        Channel<String> ch = Channels.bounded(0);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        // without a receiver, send does not return
        Async<Void> s = Async.run("sender", () -> tx.send("first"));
        awaitWaiters(tx, 1);
        s.assertBlocked();
        assertThat(tx.size()).isZero();
        assertThat(rx.recv()).isEqualTo("first");
        s.get();

        // with a receiver already waiting: when send returns, the waiting receiver has the message
        for (int i = 0; i < 100; i++) {
            Async<String> r = Async.call("receiver", rx::recv);
            awaitWaiters(rx, 1);
            tx.send("m" + i);
            assertThat(rx.tryRecv()).as("the message went to the waiting receiver, not into a buffer").isNull();
            assertThat(r.get()).isEqualTo("m" + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("messages of one sender are received in the order sent (FIFO), across blocking and wrap-around")
    void fifo(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int count = 20_000;
        Async<Void> producer = Async.run("producer", () -> {
            try (Sender<Integer> tx = ch.sender()) {
                for (int i = 0; i < count; i++) {
                    tx.send(i);
                }
            }
        });
        Receiver<Integer> rx = ch.receiver();
        for (int i = 0; i < count; i++) {
            Integer m = rx.recv();
            if (m != i) {
                fail("expected message " + i + " but received " + m);
            }
        }
        producer.get();
        assertThatThrownBy(rx::recv).isInstanceOf(DisconnectedException.class);
    }

    // ---------------------------------------------------------------- trySend

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("trySend returns true while there is room, then false when full; a refused message is not buffered")
    void trySendUntilFull(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = f.isUnbounded() ? 5000 : f.capacity();
        for (int i = 0; i < n; i++) {
            assertThat(tx.trySend(i)).isTrue();
            assertThat(tx.size()).isEqualTo(i + 1);
        }
        if (!f.isUnbounded()) {
            assertThat(tx.isFull()).isTrue();
            assertThat(tx.trySend(-1)).as("trySend into a full channel").isFalse();
            assertThat(tx.size()).isEqualTo(n);
        } else {
            assertThat(tx.isFull()).isFalse();
        }
        List<Integer> got = new ArrayList<>();
        Integer m;
        while ((m = rx.tryRecv()) != null) {
            got.add(m);
        }
        assertThat(got).hasSize(n).doesNotContain(-1);
        assertThat(tx.waiterCount()).isZero();
    }

    @Test
    @DisplayName("rendezvous: trySend fails when no receiver waits, and succeeds, delivering to it, when one does")
    void rendezvousTrySendNeedsWaitingReceiver() throws InterruptedException {
        Channel<String> ch = Channels.bounded(0);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        assertThat(tx.trySend("nobody")).isFalse();
        // a receiver that timed out is no longer waiting
        assertThat(rx.tryRecv(Duration.ofMillis(20))).isNull();
        assertThat(tx.trySend("late")).isFalse();
        for (int i = 0; i < 50; i++) {
            Async<String> r = Async.call("receiver", rx::recv);
            awaitWaiters(rx, 1);
            assertThat(tx.trySend("m" + i)).as("a receiver is waiting").isTrue();
            assertThat(r.get()).isEqualTo("m" + i);
        }
        assertThat(tx.trySend("nobody again")).isFalse();
        assertThat(rx.tryRecv()).isNull();
    }

    // ---------------------------------------------------------------- trySend(timeout)

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("trySend(m, timeout) on a full channel returns false after (not before) the timeout, and m is not sent")
    void trySendTimesOut(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        int n = fill(f, tx);
        Duration timeout = Duration.ofMillis(60);
        long start = System.nanoTime();
        boolean sent = tx.trySend(-1, timeout);
        long elapsed = System.nanoTime() - start;
        assertThat(sent).isFalse();
        assertThat(elapsed).as("elapsed nanos").isGreaterThanOrEqualTo(timeout.toNanos())
                .isLessThan(timeout.toNanos() + Duration.ofSeconds(5).toNanos());
        assertThat(tx.size()).isEqualTo(n);
        assertThat(tx.waiterCount()).isZero();
        for (int i = 0; i < n; i++) {
            assertThat(ch.receiver().tryRecv()).isEqualTo(i);
        }
        assertThat(ch.receiver().tryRecv(Duration.ofMillis(20))).as("the timed-out message").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("trySend(m, timeout) succeeds when a receiver makes room within the timeout")
    void trySendWithTimeoutSucceedsWhenRoomAppears(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = fill(f, tx);
        Async<Boolean> s = Async.call("sender", () -> tx.trySend(n, Duration.ofSeconds(20)));
        if (f.canBlockSend()) {
            awaitWaiters(tx, 1);
            s.assertBlocked();
        }
        for (int i = 0; i <= n; i++) {
            assertThat(rx.recv()).isEqualTo(i);
        }
        assertThat(s.get()).isTrue();
    }

    // ---------------------------------------------------------------- null messages

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a null message is rejected with NullPointerException by every send form, and the channel keeps working")
    void nullMessageRejected(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        // a receiver waiting makes every form "ready", so only the null check can refuse
        Async<String> r = Async.call("receiver", rx::recv);
        awaitWaiters(rx, 1);
        assertThatThrownBy(() -> tx.send(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.trySend(null, Duration.ofMillis(10))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.trySend(null, Duration.ZERO)).isInstanceOf(NullPointerException.class);
        r.assertBlocked();
        tx.send("real");
        assertThat(r.get()).isEqualTo("real");
        if (!f.isRendezvous()) {
            assertThat(tx.trySend("again")).isTrue();
            assertThat(rx.tryRecv()).isEqualTo("again");
        }
        assertThat(rx.tryRecv()).as("no null was delivered").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a null timeout is rejected with NullPointerException")
    void nullTimeoutRejected(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        assertThatThrownBy(() -> ch.sender().trySend("m", null)).isInstanceOf(NullPointerException.class);
        assertThat(ch.sender().size()).isZero();
    }

    // ---------------------------------------------------------------- status queries

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("size, isEmpty and isFull follow the buffered messages, and agree between sender and receiver")
    void sizeEmptyFull(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = f.isUnbounded() ? 100 : f.capacity();
        for (int i = 0; i <= n; i++) {
            boolean full = !f.isUnbounded() && i == n;
            assertThat(tx.size()).isEqualTo(i);
            assertThat(rx.size()).isEqualTo(i);
            assertThat(tx.isEmpty()).isEqualTo(i == 0);
            assertThat(rx.isEmpty()).isEqualTo(i == 0);
            assertThat(tx.isFull()).isEqualTo(full);
            assertThat(rx.isFull()).isEqualTo(full);
            if (i < n) {
                assertThat(tx.trySend(i)).isTrue();
            }
        }
        for (int i = n; i > 0; i--) {
            assertThat(rx.tryRecv()).isNotNull();
            assertThat(rx.size()).isEqualTo(i - 1);
            assertThat(tx.isFull()).as("after a receive there is room").isEqualTo(f.isRendezvous());
        }
        assertThat(rx.isEmpty()).isTrue();
    }

    @Test
    @DisplayName("rendezvous: size stays 0, and the channel stays empty and full, while a sender waits")
    void rendezvousStatusWithWaitingSender() throws InterruptedException {
        Channel<String> ch = Channels.bounded(0);
        Async<Void> s = Async.run("sender", () -> ch.sender().send("m"));
        awaitWaiters(ch.sender(), 1);
        assertThat(ch.sender().size()).isZero();
        assertThat(ch.receiver().size()).isZero();
        assertThat(ch.receiver().isEmpty()).isTrue();
        assertThat(ch.receiver().isFull()).isTrue();
        assertThat(ch.receiver().recv()).isEqualTo("m");
        s.get();
    }
}
