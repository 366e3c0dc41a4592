package dev.conduit;

import static dev.conduit.TestSupport.awaitCondition;
import static dev.conduit.TestSupport.awaitWaiters;
import static dev.conduit.TestSupport.fill;
import static dev.conduit.TestSupport.scale;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Virtual threads: at least 10,000 of them blocked at once on one channel's send and on its receive
 * complete correctly, and a blocked virtual thread does not pin its carrier.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadTest {

    private static final int THREADS = 10_000 * scale();

    /** Starts a virtual thread that records anything it throws into {@code failures}. */
    private static Thread startVirtual(String name, ConcurrentLinkedQueue<Throwable> failures, Async.Action body) {
        return Thread.ofVirtual().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        });
    }

    private static void joinAll(List<Thread> threads, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(Math.max(1, left)))) {
                throw new AssertionError("virtual thread " + t.getName() + " did not finish within " + max
                        + "; it is at " + List.of(t.getStackTrace()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("10,000 virtual threads blocked at once in send on one bounded channel all complete, each message received once")
    void manyVirtualSendersBlocked(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Sender<Integer> tx = ch.sender();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            int id = i;
            threads.add(startVirtual("sender-" + i, failures, () -> tx.send(id)));
        }
        // every sender beyond the buffer is parked in the channel at the same time
        awaitWaiters(tx, THREADS - f.capacity());
        assertThat(failures).isEmpty();
        assertThat(ch.receiver().size()).isEqualTo(f.capacity());

        AtomicIntegerArray seen = new AtomicIntegerArray(THREADS);
        for (int i = 0; i < THREADS; i++) {
            Integer m = ch.receiver().tryRecv(TestSupport.PATIENCE);
            assertThat(m).as("message #%d", i).isNotNull();
            assertThat(seen.getAndIncrement(m)).as("message %d received twice", m).isZero();
        }
        joinAll(threads, Duration.ofSeconds(60));
        assertThat(failures).isEmpty();
        for (int i = 0; i < THREADS; i++) {
            assertThat(seen.get(i)).as("message %d", i).isEqualTo(1);
        }
        assertThat(ch.receiver().tryRecv()).isNull();
        assertThat(tx.waiterCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("10,000 virtual threads blocked at once in recv all complete: each message goes to one, the surplus see disconnection")
    void manyVirtualReceiversBlocked(Flavors.Flavor f) throws InterruptedException {
        Channel<Integer> ch = f.create();
        Receiver<Integer> rx = ch.receiver();
        int surplus = 100;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray seen = new AtomicIntegerArray(THREADS);
        AtomicInteger received = new AtomicInteger();
        AtomicInteger disconnected = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(THREADS + surplus);
        for (int i = 0; i < THREADS + surplus; i++) {
            threads.add(startVirtual("receiver-" + i, failures, () -> {
                try {
                    int m = rx.recv();
                    seen.getAndIncrement(m);
                    received.incrementAndGet();
                } catch (DisconnectedException e) {
                    disconnected.incrementAndGet();
                }
            }));
        }
        awaitWaiters(rx, THREADS + surplus);
        assertThat(received.get()).isZero();
        for (int i = 0; i < THREADS; i++) {
            ch.sender().send(i);
        }
        awaitCondition("all " + THREADS + " messages are received (now " + received.get() + ")",
                () -> received.get() == THREADS);
        assertThat(disconnected.get()).as("no receiver saw disconnection before the sender closed").isZero();
        ch.sender().close();
        joinAll(threads, Duration.ofSeconds(60));
        assertThat(failures).isEmpty();
        assertThat(disconnected.get()).isEqualTo(surplus);
        for (int i = 0; i < THREADS; i++) {
            assertThat(seen.get(i)).as("message %d", i).isEqualTo(1);
        }
        assertThat(rx.waiterCount()).isZero();
    }

    /**
     * More virtual threads are parked in channel operations at once than the virtual-thread scheduler
     * can ever have carriers (its pool has at most {@code jdk.virtualThreadScheduler.maxPoolSize}
     * threads, default max(256, cores)): 1,800 waiters over the six flavors. Then one more virtual
     * thread must still run to completion.
     * <p>
     * Why this fails if a carrier were pinned: a virtual thread that parks while pinned (for example in
     * {@code Object.wait} or a {@code synchronized} block on JDK 21-23, or under a native frame) keeps
     * its carrier blocked. With every carrier held by a pinned waiter, the remaining waiters could not
     * even start (the waiter count would never reach 1,800), and the probe thread could not be
     * scheduled, so the deadline would expire. The scheduler can compensate for some pinning by adding
     * carriers, but never beyond maxPoolSize, which is why the number of waiters exceeds it.
     * <p>
     * As a second signal on JDK 21-23, {@code -Djdk.tracePinnedThreads=short} (set by the build) prints a
     * stack trace to System.out whenever a pinned virtual thread parks; the test captures System.out and
     * requires that no such trace appears. (JDK 24+ removed the property; there the progress check alone
     * decides.)
     */
    @Test
    @DisplayName("blocked virtual threads do not pin carriers: with more parked than carriers can exist, another virtual thread still runs")
    void blockedVirtualThreadsDoNotPinCarriers() throws InterruptedException {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new TeeStream(originalOut, captured), true, StandardCharsets.UTF_8);
        System.setOut(tee);
        try {
            checkProgressWithManyParked();
        } finally {
            System.setOut(originalOut);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).as("pinned-thread traces printed by -Djdk.tracePinnedThreads").doesNotContain("onPinned")
                .doesNotContain("<== monitors");
    }

    private void checkProgressWithManyParked() throws InterruptedException {
        int perSide = 150;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        List<Channel<Integer>> receiving = new ArrayList<>(); // receivers parked on these
        List<Channel<Integer>> sending = new ArrayList<>(); // senders parked on these
        int parked = 0;
        for (Flavors.Flavor f : Flavors.all().toList()) {
            for (int side = 0; side < 2; side++) {
                Channel<Integer> ch = f.create();
                if (side == 1 && f.canBlockSend()) { // senders parked on a full channel
                    sending.add(ch);
                    fill(f, ch.sender());
                    for (int i = 0; i < perSide; i++) {
                        threads.add(startVirtual("parked-send-" + f + "-" + i, failures, () -> ch.sender().send(-1)));
                    }
                } else { // receivers parked on an empty channel
                    receiving.add(ch);
                    for (int i = 0; i < perSide; i++) {
                        threads.add(startVirtual("parked-recv-" + f + "-" + i, failures, () -> ch.receiver().recv()));
                    }
                }
                awaitWaiters(ch.sender(), perSide);
                parked += perSide;
            }
        }
        assertThat(parked).as("parked virtual threads").isGreaterThan(256);
        assertThat(failures).isEmpty();

        // the probe: a further virtual thread runs and completes, using a channel itself
        Channel<String> probeChannel = Channels.bounded(1);
        Thread probe = Thread.ofVirtual().name("probe").start(() -> probeChannel.sender().trySend("probe ran"));
        assertThat(probe.join(Duration.ofSeconds(10))).as("the probe virtual thread completed in time").isTrue();
        assertThat(probeChannel.receiver().tryRecv()).isEqualTo("probe ran");

        // release everyone: every parked operation completes normally
        for (Channel<Integer> ch : receiving) {
            for (int i = 0; i < perSide; i++) {
                ch.sender().send(i);
            }
        }
        for (Channel<Integer> ch : sending) {
            int expected = ch.receiver().capacity().orElseThrow() + perSide;
            for (int i = 0; i < expected; i++) {
                assertThat(ch.receiver().tryRecv(TestSupport.PATIENCE)).isNotNull();
            }
        }
        joinAll(threads, Duration.ofSeconds(60));
        assertThat(failures).isEmpty();
        for (Channel<Integer> ch : receiving) {
            assertThat(ch.receiver().tryRecv()).isNull();
            assertThat(ch.receiver().waiterCount()).isZero();
        }
        for (Channel<Integer> ch : sending) {
            assertThat(ch.receiver().tryRecv()).isNull();
            assertThat(ch.receiver().waiterCount()).isZero();
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        TeeStream(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) {
            try {
                a.write(x);
            } catch (java.io.IOException ignored) {
                // the console is best effort
            }
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) {
            try {
                a.write(buf, off, len);
            } catch (java.io.IOException ignored) {
                // the console is best effort
            }
            b.write(buf, off, len);
        }
    }

}
