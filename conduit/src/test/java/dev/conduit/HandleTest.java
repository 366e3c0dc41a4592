package dev.conduit;

import static dev.conduit.TestSupport.awaitNoWaiters;
import static dev.conduit.TestSupport.awaitWaiters;
import static dev.conduit.TestSupport.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract of handles (API.md, "Handles and disconnection"): clone, close, handle counting,
 * disconnection from either side, closed handles, and release of discarded messages.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandleTest {

    private static final Duration LONG = Duration.ofDays(1);

    // ---------------------------------------------------------------- clone

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("clone() makes another open handle to the same channel, on both ends")
    void cloneMakesAnotherHandle(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Sender<String> tx2 = ch.sender().clone();
        Receiver<String> rx2 = ch.receiver().clone();
        assertThat(tx2).isNotSameAs(ch.sender());
        assertThat(rx2).isNotSameAs(ch.receiver());
        assertThat(tx2.sameChannel(ch.sender())).isTrue();
        assertThat(ch.sender().sameChannel(tx2)).isTrue();
        assertThat(rx2.sameChannel(ch.receiver())).isTrue();
        assertThat(tx2.isClosed()).isFalse();
        assertThat(rx2.isClosed()).isFalse();
        assertThat(tx2.capacity()).isEqualTo(ch.sender().capacity());
        // the clones carry messages to each other
        Async<String> r = Async.call("rx2", rx2::recv);
        tx2.send("via clones");
        assertThat(r.get()).isEqualTo("via clones");
    }

    // ---------------------------------------------------------------- close and counting

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("close() is idempotent: closing a clone many times does not disconnect while another sender is open")
    void closeIsIdempotentForSenders(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Sender<String> tx2 = ch.sender().clone();
        Sender<String> tx3 = ch.sender().clone();
        tx2.close();
        tx2.close();
        tx2.close();
        tx3.close();
        assertThat(tx2.isClosed()).isTrue();
        assertThat(ch.sender().isClosed()).as("closing a clone leaves the original open").isFalse();
        assertThat(ch.receiver().isDisconnected()).as("one sender is still open").isFalse();
        Async<String> r = Async.call("receiver", ch.receiver()::recv);
        awaitWaiters(ch.receiver(), 1);
        r.assertBlocked(); // not woken by a disconnection
        ch.sender().send("still connected");
        assertThat(r.get()).isEqualTo("still connected");
        ch.sender().close();
        assertThat(ch.receiver().isDisconnected()).isTrue();
        assertThatThrownBy(ch.receiver()::recv).isInstanceOf(DisconnectedException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("close() is idempotent: closing a clone many times does not disconnect while another receiver is open")
    void closeIsIdempotentForReceivers(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Receiver<String> rx2 = ch.receiver().clone();
        Receiver<String> rx3 = ch.receiver().clone();
        rx2.close();
        rx2.close();
        rx3.close();
        rx3.close();
        assertThat(ch.receiver().isClosed()).isFalse();
        assertThat(ch.sender().isDisconnected()).as("one receiver is still open").isFalse();
        Async<String> r = Async.call("receiver", ch.receiver()::recv);
        ch.sender().send("still connected");
        assertThat(r.get()).isEqualTo("still connected");
        ch.receiver().close();
        assertThat(ch.sender().isDisconnected()).isTrue();
        assertThatThrownBy(() -> ch.sender().send("x")).isInstanceOf(DisconnectedException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("try-with-resources closes the handle; closing both ends in either order throws nothing")
    void tryWithResourcesCloses(Flavors.Flavor f) {
        Channel<String> a = f.create();
        try (Sender<String> tx = a.sender(); Receiver<String> rx = a.receiver()) {
            assertThat(tx.isClosed()).isFalse();
            assertThat(rx.isClosed()).isFalse();
        }
        assertThat(a.sender().isClosed()).isTrue();
        assertThat(a.receiver().isClosed()).isTrue();
        Channel<String> b = f.create();
        b.sender().close();
        b.receiver().close();
        b.receiver().close();
        b.sender().close();
        assertThat(b.sender().isClosed()).isTrue();
        assertThat(b.receiver().isClosed()).isTrue();
    }

    // ---------------------------------------------------------------- last sender closed

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("after the last sender closes, receivers still get every buffered message, then DisconnectedException")
    void lastSenderCloseDrainsThenDisconnects(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Receiver<Integer> rx = ch.receiver();
        Sender<Integer> tx2 = ch.sender().clone();
        int n = Math.min(f.room(), 10);
        for (int i = 0; i < n; i++) {
            assertThat(tx2.trySend(i)).isTrue();
        }
        ch.sender().close();
        assertThat(rx.isDisconnected()).as("a sender is still open").isFalse();
        tx2.close();
        assertThat(rx.isDisconnected()).as("every sender is closed, even with messages buffered").isTrue();
        assertThat(rx.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            Integer m = i % 3 == 0 ? rx.recv() : i % 3 == 1 ? rx.tryRecv() : rx.tryRecv(LONG);
            assertThat(m).isEqualTo(i);
        }
        assertThatThrownBy(rx::recv).isInstanceOf(DisconnectedException.class);
        assertThatThrownBy(rx::tryRecv).isInstanceOf(DisconnectedException.class);
        long start = System.nanoTime();
        assertThatThrownBy(() -> rx.tryRecv(LONG)).isInstanceOf(DisconnectedException.class);
        assertThat(System.nanoTime() - start).as("tryRecv(timeout) reports disconnection without waiting")
                .isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(rx.iterator().hasNext()).isFalse();
        assertThat(rx.stream().count()).isZero();
        assertThat(rx.isEmpty()).isTrue();
        assertThat(rx.isClosed()).as("disconnection does not close the receiver handle").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("closing the last sender wakes every blocked receiver (recv, tryRecv(timeout), iterator) with disconnection")
    void lastSenderCloseWakesReceivers(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        Receiver<String> rx2 = ch.receiver().clone();
        Receiver<String> rx3 = ch.receiver().clone();
        Async<String> a = Async.call("recv", ch.receiver()::recv);
        Async<String> b = Async.call("tryRecv(timeout)", () -> rx2.tryRecv(LONG));
        Async<Boolean> c = Async.call("iterator", () -> rx3.iterator().hasNext());
        awaitWaiters(ch.receiver(), 3);
        a.assertBlocked();
        ch.sender().close();
        assertThat(a.failure()).isInstanceOf(DisconnectedException.class);
        assertThat(b.failure()).isInstanceOf(DisconnectedException.class);
        assertThat(c.get()).as("the iterator ends").isFalse();
        awaitNoWaiters(ch.receiver());
    }

    // ---------------------------------------------------------------- last receiver closed

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("after the last receiver closes, the sender is disconnected and every send form throws DisconnectedException")
    void lastReceiverCloseDisconnectsSenders(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        Sender<String> tx = ch.sender();
        Receiver<String> rx2 = ch.receiver().clone();
        ch.receiver().close();
        assertThat(tx.isDisconnected()).as("a receiver is still open").isFalse();
        rx2.close();
        assertThat(tx.isDisconnected()).isTrue();
        assertThatThrownBy(() -> tx.send("a")).isInstanceOf(DisconnectedException.class);
        assertThatThrownBy(() -> tx.trySend("b")).isInstanceOf(DisconnectedException.class);
        long start = System.nanoTime();
        assertThatThrownBy(() -> tx.trySend("c", LONG)).isInstanceOf(DisconnectedException.class);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(tx.isClosed()).as("disconnection does not close the sender handle").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("closing the last receiver wakes every blocked sender with DisconnectedException carrying its own message")
    void lastReceiverCloseWakesSenders(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        fill(f, ch.sender());
        Sender<Integer> tx2 = ch.sender().clone();
        Async<Void> a = Async.run("send", () -> ch.sender().send(1001));
        Async<Boolean> b = Async.call("trySend(timeout)", () -> tx2.trySend(1002, LONG));
        awaitWaiters(ch.sender(), 2);
        ch.receiver().close();
        assertThat(a.failure()).isInstanceOf(DisconnectedException.class);
        assertThat(((DisconnectedException) a.failure()).unsentMessage()).isEqualTo(1001);
        assertThat(b.failure()).isInstanceOf(DisconnectedException.class);
        assertThat(((DisconnectedException) b.failure()).unsentMessage()).isEqualTo(1002);
        assertThat(tx2.waiterCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("after the last receiver closes, the discarded messages are no longer counted (size 0, empty)")
    void lastReceiverCloseDiscards(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        int n = Math.min(f.room(), 100);
        for (int i = 0; i < n; i++) {
            ch.sender().trySend(i);
        }
        ch.receiver().close();
        assertThat(ch.sender().size()).isZero();
        assertThat(ch.sender().isEmpty()).isTrue();
    }

    /** Fills the channel with {@code n} fresh objects and returns only weak references to them. */
    private static List<WeakReference<Object>> sendFreshObjects(Sender<Object> tx, int n) {
        List<WeakReference<Object>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object m = new Object();
            refs.add(new WeakReference<>(m));
            assertThat(tx.trySend(m)).isTrue();
        }
        return refs;
    }

    private static void awaitCollected(List<WeakReference<Object>> refs, String what) {
        TestSupport.awaitCondition(what + " are garbage-collected", () -> {
            System.gc();
            return refs.stream().allMatch(r -> r.get() == null);
        });
    }

    /**
     * Weak references to buffered messages are cleared after the last receiver closes, while the
     * channel itself (through the sender handle) stays strongly reachable. The control step proves
     * the measurement works: while a receiver is open the same messages survive a GC.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("messages buffered when the last receiver closes are released for garbage collection")
    void lastReceiverCloseReleasesMessages(Flavors.Flavor f) {
        Channel<Object> ch = f.create();
        Sender<Object> tx = ch.sender();
        int n = Math.min(f.room(), 100); // unbounded: 100 spans several blocks
        List<WeakReference<Object>> refs = sendFreshObjects(tx, n);
        System.gc();
        assertThat(refs).as("control: buffered messages are reachable while a receiver is open")
                .allMatch(r -> r.get() != null);
        ch.receiver().close();
        awaitCollected(refs, "discarded messages");
        assertThat(tx.isDisconnected()).isTrue();
        Reference.reachabilityFence(ch);
        Reference.reachabilityFence(tx);
    }

    /** Sends one fresh object through the channel, receives it, and returns only a weak reference to it. */
    private static WeakReference<Object> passOneThrough(Channel<Object> ch, boolean rendezvous)
            throws InterruptedException {
        Object m = new Object();
        WeakReference<Object> ref = new WeakReference<>(m);
        if (rendezvous) {
            Async<Void> s = Async.run("sender", () -> ch.sender().send(m));
            assertThat(ch.receiver().recv()).isSameAs(m);
            s.get();
        } else {
            ch.sender().send(m);
            assertThat(ch.receiver().recv()).isSameAs(m);
        }
        return ref;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a received message is not retained by the channel (its slot is cleared)")
    void receivedMessageNotRetained(Flavors.Flavor f) throws InterruptedException {
        Channel<Object> ch = f.create();
        List<WeakReference<Object>> refs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refs.add(passOneThrough(ch, f.isRendezvous()));
        }
        awaitCollected(refs, "received messages");
        assertThat(ch.sender().isDisconnected()).isFalse();
        Reference.reachabilityFence(ch);
    }

    // ---------------------------------------------------------------- closed handles

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a closed sender handle throws IllegalStateException for send, trySend and clone; status queries still work")
    void closedSenderRejectsOperations(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Sender<String> closed = ch.sender().clone();
        closed.close();
        // a waiting receiver makes a send "ready": the closed check must still win
        Async<String> r = Async.call("receiver", ch.receiver()::recv);
        awaitWaiters(ch.receiver(), 1);
        List<ThrowingCallable> ops = List.of(() -> closed.send("x"), () -> closed.trySend("x"),
                () -> closed.trySend("x", Duration.ofMillis(10)), () -> closed.trySend("x", Duration.ZERO),
                closed::clone);
        for (ThrowingCallable op : ops) {
            assertThatThrownBy(op).isInstanceOf(IllegalStateException.class).hasMessageFindingMatch("\\S");
        }
        assertThat(closed.isClosed()).isTrue();
        assertThat(closed.isDisconnected()).isFalse();
        assertThat(closed.size()).isZero();
        assertThat(closed.isEmpty()).isTrue();
        assertThat(closed.isFull()).isEqualTo(f.isRendezvous());
        assertThat(closed.capacity()).isEqualTo(f.isUnbounded() ? OptionalInt.empty() : OptionalInt.of(f.capacity()));
        r.assertBlocked();
        // the channel keeps working through the open handle
        ch.sender().send("ok");
        assertThat(r.get()).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a closed receiver handle throws IllegalStateException for every receive form and clone; status queries still work")
    void closedReceiverRejectsOperations(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Receiver<String> closed = ch.receiver().clone();
        closed.close();
        Async<Void> s = null;
        if (f.isRendezvous()) { // a waiting sender makes a receive "ready"
            s = Async.run("sender", () -> ch.sender().send("ready"));
            awaitWaiters(ch.sender(), 1);
        } else {
            ch.sender().send("ready");
        }
        List<ThrowingCallable> ops = List.of(closed::recv, closed::tryRecv,
                () -> closed.tryRecv(Duration.ofMillis(10)), () -> closed.tryRecv(Duration.ZERO),
                () -> closed.iterator().hasNext(), () -> closed.tryIter().iterator().hasNext(),
                () -> closed.stream().findFirst(), () -> closed.drainTo(new ArrayList<>(), 10), closed::clone);
        for (ThrowingCallable op : ops) {
            assertThatThrownBy(op).isInstanceOf(IllegalStateException.class).hasMessageFindingMatch("\\S");
        }
        assertThat(closed.isClosed()).isTrue();
        assertThat(closed.isDisconnected()).isFalse();
        assertThat(closed.size()).isEqualTo(f.isRendezvous() ? 0 : 1);
        assertThat(closed.isEmpty()).isEqualTo(f.isRendezvous());
        assertThat(closed.isFull()).isEqualTo(f.capacity() == 0 || f.capacity() == 1);
        assertThat(closed.capacity()).isEqualTo(ch.receiver().capacity());
        // the message is still there for the open handle
        assertThat(ch.receiver().recv()).isEqualTo("ready");
        if (s != null) {
            s.get();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("the last handle of a side, once closed, throws IllegalStateException (not DisconnectedException)")
    void closedLastHandleThrowsIllegalState(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        ch.sender().close();
        ch.receiver().close();
        assertThatThrownBy(() -> ch.sender().send("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ch.sender().trySend("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ch.receiver()::recv).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ch.receiver()::tryRecv).isInstanceOf(IllegalStateException.class);
        assertThat(ch.sender().isDisconnected()).isTrue();
        assertThat(ch.receiver().isDisconnected()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("an open clone of a disconnected channel is disconnected too")
    void cloneOnDisconnectedChannel(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        ch.receiver().close();
        Sender<String> tx2 = ch.sender().clone();
        assertThat(tx2.isDisconnected()).isTrue();
        assertThatThrownBy(() -> tx2.trySend("x")).isInstanceOf(DisconnectedException.class);
        Channel<String> other = f.create();
        other.sender().close();
        Receiver<String> rx2 = other.receiver().clone();
        assertThat(rx2.isDisconnected()).isTrue();
        assertThatThrownBy(rx2::tryRecv).isInstanceOf(DisconnectedException.class);
    }

    // ---------------------------------------------------------------- closing a handle another thread waits on

    enum RecvForm { RECV, TRY_RECV_TIMEOUT, ITERATOR }

    enum SendForm { SEND, TRY_SEND_TIMEOUT }

    private static Object recvBy(Receiver<String> rx, RecvForm form) throws InterruptedException {
        return switch (form) {
            case RECV -> rx.recv();
            case TRY_RECV_TIMEOUT -> rx.tryRecv(LONG);
            case ITERATOR -> rx.iterator().hasNext();
        };
    }

    private static Object sendBy(Sender<Integer> tx, SendForm form, int m) throws InterruptedException {
        return switch (form) {
            case SEND -> {
                tx.send(m);
                yield null;
            }
            case TRY_SEND_TIMEOUT -> tx.trySend(m, LONG);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a thread blocked receiving on a handle that another thread closes is woken with IllegalStateException; nothing is consumed")
    void closingHandleWakesBlockedReceiver(Flavors.Flavor f) throws InterruptedException {
        for (RecvForm form : RecvForm.values()) {
            for (boolean last : new boolean[] {false, true}) {
                Channel<String> ch = f.create();
                Receiver<String> victim = last ? ch.receiver() : ch.receiver().clone();
                Async<Object> r = Async.call("blocked " + form, () -> recvBy(victim, form));
                awaitWaiters(ch.receiver(), 1);
                victim.close();
                assertThat(r.failure()).as("%s on the %s handle", form, last ? "last" : "cloned")
                        .isInstanceOf(IllegalStateException.class);
                awaitNoWaiters(ch.receiver());
                if (!last) { // the channel keeps working, and the woken receiver took nothing
                    Async<String> other = Async.call("other", ch.receiver()::recv);
                    ch.sender().send("m");
                    assertThat(other.get()).isEqualTo("m");
                } else {
                    assertThat(ch.sender().isDisconnected()).isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("a thread blocked sending on a handle that another thread closes is woken with IllegalStateException; its message is not sent")
    void closingHandleWakesBlockedSender(Flavors.Flavor f) throws InterruptedException {
        for (SendForm form : SendForm.values()) {
            for (boolean last : new boolean[] {false, true}) {
                Channel<Integer> ch = f.create();
                int n = fill(f, ch.sender());
                Sender<Integer> victim = last ? ch.sender() : ch.sender().clone();
                Async<Object> s = Async.call("blocked " + form, () -> sendBy(victim, form, -1));
                awaitWaiters(ch.sender(), 1);
                victim.close();
                assertThat(s.failure()).as("%s on the %s handle", form, last ? "last" : "cloned")
                        .isInstanceOf(IllegalStateException.class);
                awaitNoWaiters(ch.receiver());
                Receiver<Integer> rx = ch.receiver();
                for (int i = 0; i < n; i++) {
                    assertThat(rx.recv()).isEqualTo(i);
                }
                if (last) {
                    assertThatThrownBy(rx::recv).as("only the buffered messages, then disconnection")
                            .isInstanceOf(DisconnectedException.class);
                } else {
                    assertThat(rx.tryRecv(Duration.ofMillis(30))).as("the message of the woken sender").isNull();
                    Async<Void> other = Async.run("other", () -> ch.sender().send(7));
                    assertThat(rx.recv()).isEqualTo(7);
                    other.get();
                }
            }
        }
    }
}
