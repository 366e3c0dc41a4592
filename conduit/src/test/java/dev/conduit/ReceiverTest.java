package dev.conduit;

import static dev.conduit.TestSupport.awaitWaiters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract of {@link Receiver}'s receiving methods, iteration and draining on every flavor (API.md, "Receiver"). */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReceiverTest {

    /** Sends 0..count-1 from a new thread with blocking sends, then closes the sender: the channel's only one. */
    private static Async<Void> produce(Channel<Integer> ch, int count) {
        return Async.run("producer", () -> {
            try (Sender<Integer> tx = ch.sender()) {
                for (int i = 0; i < count; i++) {
                    tx.send(i);
                }
            }
        });
    }

    private static List<Integer> range(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- recv

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("recv blocks while the channel is empty and returns the message that arrives")
    void recvBlocksUntilMessage(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Async<String> r = Async.call("receiver", ch.receiver()::recv);
        awaitWaiters(ch.receiver(), 1);
        r.assertBlocked();
        ch.sender().send("m");
        assertThat(r.get()).isEqualTo("m");
        assertThat(ch.receiver().tryRecv()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("recv returns buffered messages at once, oldest first")
    void recvBufferedFifo(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        int n = Math.min(f.room(), 2000);
        for (int round = 0; round < 3; round++) { // several rounds: wrap around the ring
            for (int i = 0; i < n; i++) {
                assertThat(ch.sender().trySend(i)).isTrue();
            }
            for (int i = 0; i < n; i++) {
                assertThat(ch.receiver().recv()).isEqualTo(i);
            }
        }
        assertThat(ch.receiver().isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("each message goes to exactly one of several receiver handles")
    void clonedReceiversShareMessages(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Receiver<Integer> rx2 = ch.receiver().clone();
        int count = 5000;
        Async<List<Integer>> a = Async.call("rx1", () -> ch.receiver().stream().toList());
        Async<List<Integer>> b = Async.call("rx2", () -> rx2.stream().toList());
        produce(ch, count).get();
        List<Integer> all = new ArrayList<>(a.get());
        all.addAll(b.get());
        assertThat(all).containsExactlyInAnyOrderElementsOf(range(count));
        assertThat(a.get()).isSorted();
        assertThat(b.get()).isSorted();
    }

    // ---------------------------------------------------------------- tryRecv

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("tryRecv returns null when nothing is ready, and the ready message otherwise, without blocking")
    void tryRecv(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        assertThat(ch.receiver().tryRecv()).isNull();
        if (f.isRendezvous()) {
            // ready = a sender waiting; tryRecv takes its message and releases it
            Async<Void> s = Async.run("sender", () -> ch.sender().send("m"));
            awaitWaiters(ch.sender(), 1);
            assertThat(ch.receiver().tryRecv()).isEqualTo("m");
            s.get();
        } else {
            ch.sender().send("m");
            assertThat(ch.receiver().tryRecv()).isEqualTo("m");
        }
        assertThat(ch.receiver().tryRecv()).isNull();
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    // ---------------------------------------------------------------- tryRecv(timeout)

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("tryRecv(timeout) on an empty channel returns null after (not before) the timeout")
    void tryRecvTimesOut(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Duration timeout = Duration.ofMillis(60);
        long start = System.nanoTime();
        String m = ch.receiver().tryRecv(timeout);
        long elapsed = System.nanoTime() - start;
        assertThat(m).isNull();
        assertThat(elapsed).as("elapsed nanos").isGreaterThanOrEqualTo(timeout.toNanos())
                .isLessThan(timeout.toNanos() + Duration.ofSeconds(5).toNanos());
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("tryRecv(timeout) returns a message that arrives within the timeout")
    void tryRecvWithTimeoutGetsLateMessage(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Async<String> r = Async.call("receiver", () -> ch.receiver().tryRecv(Duration.ofSeconds(20)));
        awaitWaiters(ch.receiver(), 1);
        r.assertBlocked();
        ch.sender().send("late");
        assertThat(r.get()).isEqualTo("late");
    }

    // ---------------------------------------------------------------- iterator

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("for-each over the receiver yields every message in order and ends when drained and disconnected")
    void forEachEndsAtDisconnection(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Async<Void> p = produce(ch, 3000);
        List<Integer> got = new ArrayList<>();
        for (Integer m : ch.receiver()) {
            got.add(m);
        }
        p.get();
        assertThat(got).isEqualTo(range(3000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("the iterator: next() works without hasNext(), hasNext() is repeatable, next() past the end throws NoSuchElementException")
    void iteratorProtocol(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Async<Void> p = Async.run("producer", () -> {
            try (Sender<String> tx = ch.sender()) {
                tx.send("a");
                tx.send("b");
            }
        });
        Iterator<String> it = ch.receiver().iterator();
        assertThat(it.next()).isEqualTo("a");
        assertThat(it.hasNext()).isTrue();
        assertThat(it.hasNext()).isTrue();
        assertThat(it.next()).isEqualTo("b");
        assertThat(it.hasNext()).isFalse();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        p.get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("an iterator interrupted while it waits throws unchecked with the InterruptedException as cause, interrupt status kept")
    void iteratorInterruptedWhileWaiting(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Async<String> r = Async.call("iterating", () -> {
            for (String m : ch.receiver()) {
                return m;
            }
            return "ended";
        });
        awaitWaiters(ch.receiver(), 1);
        r.interrupt();
        Throwable t = r.failure();
        assertThat(t).isInstanceOf(RuntimeException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(r.interruptedAtEnd()).as("interrupt status kept").isTrue();
        TestSupport.awaitNoWaiters(ch.receiver());
        // nothing was lost: the channel still delivers
        if (!f.isRendezvous()) {
            ch.sender().send("after");
            assertThat(ch.receiver().tryRecv()).isEqualTo("after");
        } else {
            assertThat(ch.sender().trySend("after")).as("the interrupted iterator no longer waits").isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("an iterator on an empty channel with the interrupt already set throws at once, cause InterruptedException, status kept")
    void iteratorInterruptedBefore(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        Iterator<String> it = ch.receiver().iterator();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(it::hasNext).isInstanceOf(RuntimeException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(ch.receiver().waiterCount()).isZero();
    }

    // ---------------------------------------------------------------- tryIter

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("tryIter yields exactly the messages ready now, then ends without waiting; later calls see later messages")
    void tryIterYieldsReady(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        int n = Math.min(f.room(), 100);
        for (int i = 0; i < n; i++) {
            ch.sender().trySend(i);
        }
        List<Integer> got = new ArrayList<>();
        for (Integer m : ch.receiver().tryIter()) {
            got.add(m);
        }
        assertThat(got).isEqualTo(range(n));
        assertThat(ch.receiver().tryIter()).as("nothing ready").isEmpty();
        ch.sender().trySend(7);
        assertThat(ch.receiver().tryIter()).containsExactly(7);
        assertThat(ch.receiver().isDisconnected()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("after disconnection tryIter still yields what is buffered, then ends without an exception")
    void tryIterAfterDisconnection(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        int n = Math.min(f.room(), 10);
        for (int i = 0; i < n; i++) {
            ch.sender().trySend(i);
        }
        ch.sender().close();
        assertThat(ch.receiver().tryIter()).containsExactlyElementsOf(range(n));
        assertThat(ch.receiver().tryIter()).as("drained and disconnected").isEmpty();
    }

    @Test
    @DisplayName("rendezvous: tryIter yields nothing without a waiting sender, and the message of each waiting sender")
    void tryIterRendezvous() throws InterruptedException {
        Channel<String> ch = Channels.bounded(0);
        assertThat(ch.receiver().tryIter()).isEmpty();
        Async<Void> s = Async.run("sender", () -> ch.sender().send("m"));
        awaitWaiters(ch.sender(), 1);
        assertThat(ch.receiver().tryIter()).containsExactly("m");
        s.get();
    }

    // ---------------------------------------------------------------- stream

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("stream() is a sequential, blocking stream of all messages in order, ending at disconnection")
    void streamEndsAtDisconnection(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Stream<Integer> s = ch.receiver().stream();
        assertThat(s.isParallel()).isFalse();
        Async<Void> p = produce(ch, 3000);
        assertThat(s.toList()).isEqualTo(range(3000));
        p.get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("stream() waits for messages that arrive later")
    void streamWaits(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Async<List<String>> r = Async.call("streaming", () -> ch.receiver().stream().limit(2).toList());
        awaitWaiters(ch.receiver(), 1);
        r.assertBlocked();
        ch.sender().send("a");
        TestSupport.sleepQuietly(20);
        ch.sender().send("b");
        assertThat(r.get()).containsExactly("a", "b");
    }

    // ---------------------------------------------------------------- drainTo

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("drainTo moves up to max ready messages in order, returns how many, and leaves the rest")
    void drainToMovesUpToMax(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        int n = Math.min(f.room(), 50);
        for (int i = 0; i < n; i++) {
            ch.sender().trySend(i);
        }
        List<Integer> sink = new ArrayList<>();
        int half = n / 2;
        assertThat(ch.receiver().drainTo(sink, half)).isEqualTo(half);
        assertThat(sink).isEqualTo(range(half));
        assertThat(ch.receiver().size()).isEqualTo(n - half);
        assertThat(ch.receiver().drainTo(sink, 0)).isZero();
        assertThat(ch.receiver().drainTo(sink, Integer.MAX_VALUE)).isEqualTo(n - half);
        assertThat(sink).isEqualTo(range(n));
        assertThat(ch.receiver().drainTo(sink, 10)).as("nothing ready: returns 0 without blocking").isZero();
        assertThat(sink).hasSize(n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#buffered")
    @DisplayName("drainTo after disconnection still moves the buffered messages")
    void drainToAfterDisconnection(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        int n = Math.min(f.room(), 10);
        for (int i = 0; i < n; i++) {
            ch.sender().trySend(i);
        }
        ch.sender().close();
        List<Integer> sink = new ArrayList<>();
        assertThat(ch.receiver().drainTo(sink, 100)).isEqualTo(n);
        assertThat(sink).isEqualTo(range(n));
    }

    @Test
    @DisplayName("rendezvous: drainTo moves the messages of the senders waiting now, and releases them")
    void drainToRendezvous() throws InterruptedException {
        Channel<String> ch = Channels.bounded(0);
        List<String> sink = new ArrayList<>();
        assertThat(ch.receiver().drainTo(sink, 10)).isZero();
        Sender<String> tx2 = ch.sender().clone();
        Async<Void> s1 = Async.run("s1", () -> ch.sender().send("a"));
        Async<Void> s2 = Async.run("s2", () -> tx2.send("b"));
        awaitWaiters(ch.sender(), 2);
        assertThat(ch.receiver().drainTo(sink, 10)).isEqualTo(2);
        assertThat(sink).containsExactlyInAnyOrder("a", "b");
        s1.get();
        s2.get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("drainTo into a null collection throws NullPointerException and takes nothing")
    void drainToNullSink(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        if (!f.isRendezvous()) {
            ch.sender().trySend("kept");
        }
        assertThatThrownBy(() -> ch.receiver().drainTo(null, 10)).isInstanceOf(NullPointerException.class);
        if (!f.isRendezvous()) {
            assertThat(ch.receiver().tryRecv()).isEqualTo("kept");
        }
    }
}
