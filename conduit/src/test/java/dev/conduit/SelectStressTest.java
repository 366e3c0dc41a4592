package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stress of {@link Select} (issue "Select", section Stress): many threads run selects over one set
 * of channels of every buffered flavor, with send and receive branches, and a ledger proves that
 * every message sent was received exactly once and every send was counted exactly once.
 *
 * <h2>The workload</h2>
 * Channels: {@code bounded(0)}, {@code bounded(1)}, {@code bounded(16)}, {@code unbounded}. Each
 * select of each worker has a send and a receive branch on the rendezvous channel, a random subset
 * of the send and receive branches on the three buffered channels, and a receive branch on a
 * {@code stop} channel whose disconnection ends the run. Since every select offers both sides of the
 * rendezvous channel, two workers can never both stay blocked: the later one to register finds the
 * earlier one's entries (a lost wake-up or a missed pairing would show up as a hang, caught by the
 * time limits). Workers block often enough (when none of their chosen branches is ready) that
 * rendezvous pairings between two selects happen by the thousand.
 *
 * <h2>The ledger</h2>
 * Every message is unique: {@code (worker id << 32) | sequence}. A send branch carries the worker's
 * pending message for that channel; only when the branch's handler runs is the message logged as
 * sent and replaced by a fresh one, so a losing send branch that sent anyway, or a handler run twice
 * or not at all, breaks the ledger. Receive handlers log what they got. At the end the buffered
 * channels are drained, and the sorted logs must satisfy: sent has no duplicate, received has no
 * duplicate, and sent equals received.
 */
// A last-resort limit: the runs below bound their own waits (60 s per unit of scale for the work,
// 30 s for the workers to end) and report a hang with the workers' stacks well before this.
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectStressTest {

    private static final int SCALE = Math.max(1, Integer.getInteger("conduit.stress.scale", 1));
    private static final int STOP = -1;
    private static final int OP = 1;

    /**
     * Four platform threads complete at least 1,000,000 operations (sends plus receives) in total at
     * scale 1, and the ledger balances: every message sent was received exactly once. (The full
     * million fits: it takes about 2 to 6 s on a shared 2-core machine.)
     */
    @Test
    void platformThreadsMillionOperationsLedgerBalances() throws Exception {
        Run run = new Run(4, 1_000_000L * SCALE, 10_000);
        run.start(false);
        run.awaitAndStop(60L * SCALE);
        run.checkLedger();
    }

    /**
     * 10,000 virtual threads (scaled) each complete 20 selects and leave, 200,000 operations in total,
     * and the ledger balances.
     *
     * <p>Here every worker has a quota instead of running until a global target: a virtual thread is
     * not preempted, so workers whose selects keep finding ready branches could keep both carriers
     * for themselves while thousands of others wait to be scheduled. With a quota each worker leaves
     * after its share, and all of them get their turn. When at most one worker is left it may wait
     * for ever (its select can need a peer that is gone), so {@code stop} is then disconnected, and
     * the test requires that all workers but that one met their quota.
     */
    @Test
    void tenThousandVirtualThreadsLedgerBalances() throws Exception {
        int workers = 10_000 * SCALE;
        int quota = 20;
        Run run = new Run(workers, (long) (workers - 1) * quota, quota);
        run.quotaMode = true;
        run.start(true);
        run.awaitAndStop(60L * SCALE);
        run.checkLedger();
        assertThat(run.reachedMin.get()).as("workers that completed their quota").isGreaterThanOrEqualTo(workers - 1);
    }

    /**
     * One stress run: the shared channels, the workers, the counters. The run ends once the workers
     * completed {@code targetOps} operations in total and each of them at least
     * {@code minOpsPerWorker} (so that every thread really takes part).
     */
    private static final class Run {
        final int workers;
        final long targetOps;
        final int minOpsPerWorker;
        /** 0: bounded(0), 1: bounded(1), 2: bounded(16), 3: unbounded. */
        final List<Channel<Long>> channels = List.of(
                Channels.bounded(0), Channels.bounded(1), Channels.bounded(16), Channels.unbounded());
        final Channel<Long> stop = Channels.unbounded();
        final LongAdder ops = new LongAdder();
        final AtomicInteger reachedMin = new AtomicInteger();
        final LongAdder[] sendsPerChannel = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
        final List<Worker> all = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch done;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** Each worker leaves after {@code minOpsPerWorker} operations; the run ends when at most one is left. */
        boolean quotaMode;

        Run(int workers, long targetOps, int minOpsPerWorker) {
            this.workers = workers;
            this.targetOps = targetOps;
            this.minOpsPerWorker = minOpsPerWorker;
            this.done = new CountDownLatch(workers);
        }

        void start(boolean virtual) {
            // Platform workers start together; virtual ones start as they are created (a latch that
            // releases 10,000 of them at once only adds a scheduling burst).
            CountDownLatch go = new CountDownLatch(virtual ? 0 : 1);
            for (int id = 0; id < workers; id++) {
                Worker w = new Worker(id, this);
                all.add(w);
                Thread.Builder b = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
                threads.add(b.name("select-stress-" + id).start(() -> {
                    try {
                        go.await();
                        w.run();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            go.countDown();
        }

        /** Waits for the target (and every worker's minimum), then disconnects {@code stop} and joins the workers. */
        void awaitAndStop(long maxSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            boolean reached;
            while (!(reached = quotaMode
                            ? done.getCount() <= 1
                            : ops.sum() >= targetOps && reachedMin.get() == workers)
                    && failure.get() == null && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            stop.sender().close();
            if (!done.await(30, TimeUnit.SECONDS)) {
                StringBuilder where = new StringBuilder();
                for (Thread t : threads) {
                    if (t.isAlive()) {
                        where.append(t.getName()).append(" at ").append(Arrays.toString(t.getStackTrace())).append('\n');
                        if (where.length() > 8_000) {
                            break;
                        }
                    }
                }
                fail("workers did not end after stop was disconnected (a lost wake-up?):\n" + where);
            }
            if (failure.get() != null) {
                throw new AssertionError("a worker failed", failure.get());
            }
            assertThat(reached)
                    .as("reached %d operations (target %d) and %d of %d workers their minimum within %d s"
                            + " (no progress: a lost wake-up or a missed pairing?)",
                            ops.sum(), targetOps, reachedMin.get(), workers, maxSeconds)
                    .isTrue();
        }

        void checkLedger() {
            LongList sent = new LongList();
            LongList received = new LongList();
            long sendCount = 0;
            for (Worker w : all) {
                sent.addAll(w.sent);
                received.addAll(w.received);
                sendCount += w.sent.size;
            }
            for (int c = 1; c < channels.size(); c++) {
                Long m;
                while ((m = channels.get(c).receiver().tryRecv()) != null) {
                    received.add(m);
                }
            }
            assertThat(channels.get(0).receiver().tryRecv()).isNull();
            long[] s = sent.sorted();
            long[] r = received.sorted();
            assertThat(firstDuplicate(s)).as("a message counted as sent twice").isEqualTo(-1);
            assertThat(firstDuplicate(r)).as("a message received twice").isEqualTo(-1);
            assertThat(r.length).as("received (%d) vs sent (%d)", r.length, s.length).isEqualTo(s.length);
            assertThat(Arrays.equals(s, r)).as("the received messages are exactly the sent ones").isTrue();
            assertThat(sendCount).isEqualTo(s.length);
            long total = ops.sum();
            assertThat(total).isGreaterThanOrEqualTo(targetOps);
            long[] receivedBySelect = {0};
            all.forEach(w -> receivedBySelect[0] += w.received.size);
            assertThat(sendCount + receivedBySelect[0]).as("every completed select is one send or one receive")
                    .isEqualTo(total);
            for (int c = 0; c < channels.size(); c++) {
                assertThat(sendsPerChannel[c].sum()).as("sends on channel %d (the mix reaches every flavor)", c)
                        .isPositive();
            }
        }
    }

    /** One selecting thread. Its logs are touched only by its own thread (handlers run there). */
    private static final class Worker {
        final int id;
        final Run run;
        final long[] pending = new long[4];
        final LongList sent = new LongList();
        final LongList received = new LongList();
        long seq;
        long myOps;

        Worker(int id, Run run) {
            this.id = id;
            this.run = run;
            for (int c = 0; c < 4; c++) {
                pending[c] = next();
            }
        }

        long next() {
            return ((long) id << 32) | seq++;
        }

        int sentOn(int c) {
            sent.add(pending[c]);
            pending[c] = next();
            run.sendsPerChannel[c].increment();
            return OP;
        }

        int got(long m) {
            received.add(m);
            return OP;
        }

        void run() throws InterruptedException {
            List<Sender<Long>> tx = new ArrayList<>();
            List<Receiver<Long>> rx = new ArrayList<>();
            for (Channel<Long> ch : run.channels) {
                tx.add(ch.sender().clone());
                rx.add(ch.receiver().clone());
            }
            try (Receiver<Long> stopRx = run.stop.receiver().clone()) {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (;;) {
                    Select<Integer> sel = new Select<Integer>()
                            .send(tx.get(0), pending[0], () -> sentOn(0))
                            .recv(rx.get(0), this::got);
                    for (int c = 1; c < 4; c++) {
                        int bits = rnd.nextInt(4);
                        int ch = c;
                        if ((bits & 1) != 0) {
                            sel.send(tx.get(c), pending[c], () -> sentOn(ch));
                        }
                        if ((bits & 2) != 0) {
                            sel.recv(rx.get(c), this::got);
                        }
                    }
                    sel.recv(stopRx, m -> STOP, () -> STOP);
                    if (sel.select() == STOP) {
                        return;
                    }
                    run.ops.increment();
                    if (++myOps == run.minOpsPerWorker) {
                        run.reachedMin.incrementAndGet();
                        if (run.quotaMode) {
                            return;
                        }
                    }
                }
            } finally {
                tx.forEach(Sender::close);
                rx.forEach(Receiver::close);
            }
        }
    }

    private static int firstDuplicate(long[] sorted) {
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return i;
            }
        }
        return -1;
    }

    /** A growable list of longs. */
    private static final class LongList {
        long[] a = new long[64];
        int size;

        void add(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        void addAll(LongList o) {
            for (int i = 0; i < o.size; i++) {
                add(o.a[i]);
            }
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(a, size);
            Arrays.sort(s);
            return s;
        }
    }
}
