package dev.conduit.soak;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import dev.conduit.TestAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fault-injecting soak: runs rounds on every flavor (rendezvous, bounded(1), bounded(16),
 * unbounded) for a given time and keeps a ledger of every message.
 *
 * <pre>
 *   scripts/soak 60s [seed]        (or: java -cp ... dev.conduit.soak.Soak 60s [seed])
 * </pre>
 *
 * <p>A round: one channel; P producers, C consumers and S selectors (select with a receive and a
 * send branch on the channel), on platform threads, virtual threads or a mix; each worker holds
 * its own clones of the handles. Faults injected while they run:
 * <ul>
 *   <li>about a quarter of the blocking operations get an interrupt scheduled a few microseconds
 *       after they start (it may land during the wait, or before a later call: both are faults);</li>
 *   <li>the other blocking-style operations use short timeouts (0 to 2 ms);</li>
 *   <li>workers close their handle and clone a new one at random, and a chaos thread closes
 *       workers' handles under them (a blocked operation must wake with "closed");</li>
 *   <li>the round ends by disconnecting the channel mid-flight: closing every receiver handle
 *       (senders blocked or not must get {@link DisconnectedException} with their message back;
 *       buffered messages are discarded) or every sender handle (receivers drain, then see the
 *       end).</li>
 * </ul>
 * Every message is a unique {@code Long}. The ledger checks, per round: each received message was
 * sent and received once (duplicated = 0); a message returned by a {@code DisconnectedException}
 * was not delivered; when the senders disconnect, every sent message is received (lost = 0); when
 * the receivers disconnect, what is discarded fits in the buffer (rendezvous: nothing, bounded(n):
 * at most n); no waiter is left registered in the channel; no thread is left running. It prints
 * the totals and exits with status 1 on any lost, duplicated or leaked figure.
 */
public final class Soak {

    static final int PRODUCERS = 3;
    static final int CONSUMERS = 2;
    static final int SELECTORS = 2;
    static final int[] CAPACITIES = {0, 1, 16, -1};
    /** How long a round's threads get to finish after the disconnection before they count as hung. */
    static final long JOIN_MILLIS = 15_000;

    /** The totals, printed at the end. */
    public static final class Report {
        public long rounds;
        public long sent;
        public long received;
        public long returned;
        public long discarded;
        public long lost;
        public long duplicated;
        public long waitersLeft;
        public long threadsLeft;
        public final LongAdder blockingOps = new LongAdder();
        public final LongAdder timedOps = new LongAdder();
        public final Map<String, LongAdder> faults = new java.util.TreeMap<>();
        public final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

        /** Whether the ledger is clean. */
        public boolean clean() {
            return lost == 0 && duplicated == 0 && waitersLeft == 0 && threadsLeft == 0 && problems.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "rounds               %,d%n", rounds));
            b.append(String.format(Locale.ROOT, "messages sent        %,d%n", sent));
            b.append(String.format(Locale.ROOT, "received             %,d%n", received));
            b.append(String.format(Locale.ROOT, "returned to senders  %,d  (DisconnectedException.unsentMessage)%n", returned));
            b.append(String.format(Locale.ROOT, "discarded            %,d  (buffered when the last receiver closed)%n", discarded));
            b.append(String.format(Locale.ROOT, "blocking operations  %,d, timed operations %,d%n", blockingOps.sum(), timedOps.sum()));
            b.append("faults injected / observed:\n");
            faults.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-34s %,d%n", k, v.sum())));
            b.append(String.format(Locale.ROOT, "lost                 %,d%n", lost));
            b.append(String.format(Locale.ROOT, "duplicated           %,d%n", duplicated));
            b.append(String.format(Locale.ROOT, "waiters left         %,d%n", waitersLeft));
            b.append(String.format(Locale.ROOT, "threads left         %,d%n", threadsLeft));
            for (String p : problems) {
                b.append("PROBLEM: ").append(p).append('\n');
            }
            b.append(clean() ? "RESULT: clean\n" : "RESULT: FAILED\n");
            return b.toString();
        }
    }

    private final Report report = new Report();
    private final AtomicLong ids = new AtomicLong(1);
    private final ScheduledExecutorService interrupter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-interrupter");
        t.setDaemon(true);
        return t;
    });

    private LongAdder fault(String kind) {
        synchronized (report.faults) {
            return report.faults.computeIfAbsent(kind, k -> new LongAdder());
        }
    }

    /** Runs the soak for {@code duration} with {@code seed}; returns the report. */
    public static Report run(Duration duration, long seed) throws InterruptedException {
        Soak soak = new Soak();
        try {
            soak.loop(duration, seed);
        } finally {
            soak.interrupter.shutdownNow();
        }
        return soak.report;
    }

    public static void main(String[] args) throws Exception {
        Duration d = args.length > 0 ? parseDuration(args[0]) : Duration.ofSeconds(60);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        System.out.printf("soak: %s, seed %d, %d producers, %d consumers, %d selectors per round, capacities %s%n",
                d, seed, PRODUCERS, CONSUMERS, SELECTORS, Arrays.toString(CAPACITIES).replace("-1", "unbounded"));
        Report r = run(d, seed);
        System.out.print(r);
        System.out.flush();
        // Hung threads (if any) must not keep the JVM alive: report and exit.
        System.exit(r.clean() ? 0 : 1);
    }

    /** "60s", "2m", "500ms", "1h" or a plain number of seconds. */
    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }

    private void loop(Duration duration, long seed) throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(seed);
        long end = System.nanoTime() + duration.toNanos();
        int i = 0;
        while (System.nanoTime() - end < 0 && report.threadsLeft == 0) {
            int capacity = CAPACITIES[i % CAPACITIES.length];
            int threads = (i / CAPACITIES.length) % 3; // 0 platform, 1 virtual, 2 mixed
            long left = end - System.nanoTime();
            long roundMillis = Math.max(20, Math.min(rnd.nextLong(100, 400), left / 1_000_000));
            new Round(capacity, threads, roundMillis, rnd.split()).run();
            i++;
        }
    }

    /** A growable array of longs, one per thread (no sharing while the round runs). */
    static final class LongList {
        long[] a = new long[64];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /** What one worker did: the messages it sent, received and got back. */
    static final class Ledger {
        final LongList sent = new LongList();
        final LongList received = new LongList();
        final LongList returned = new LongList();
    }

    /** One channel, its workers, and its disconnection. */
    final class Round {
        final int capacity;
        final int threadMode;
        final long millis;
        final SplittableRandom rnd;
        final String name;
        final Channel<Long> channel;
        final Sender<Long> rootTx;
        final Receiver<Long> rootRx;
        /** Every handle handed to a worker, so that the disconnection can close them all. */
        final ConcurrentLinkedQueue<Sender<Long>> txHandles = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Receiver<Long>> rxHandles = new ConcurrentLinkedQueue<>();
        final List<Worker> workers = new ArrayList<>();
        volatile boolean stopSending;
        volatile boolean stopReceiving;
        volatile boolean running = true;

        Round(int capacity, int threadMode, long millis, SplittableRandom rnd) {
            this.capacity = capacity;
            this.threadMode = threadMode;
            this.millis = millis;
            this.rnd = rnd;
            this.channel = capacity < 0 ? Channels.unbounded() : Channels.bounded(capacity);
            this.name = (capacity < 0 ? "unbounded" : "bounded(" + capacity + ")") + " on "
                    + new String[] {"platform", "virtual", "mixed"}[threadMode] + " threads";
            this.rootTx = channel.sender();
            this.rootRx = channel.receiver();
        }

        /** A sender clone for a worker, or null once the senders are being disconnected. */
        Sender<Long> cloneTx() {
            try {
                Sender<Long> h = rootTx.clone();
                txHandles.add(h);
                if (stopSending) { // the sweep may have missed us: close it ourselves
                    h.close();
                    return null;
                }
                fault("handles cloned").increment();
                return h;
            } catch (IllegalStateException rootClosed) {
                return null;
            }
        }

        Receiver<Long> cloneRx() {
            try {
                Receiver<Long> h = rootRx.clone();
                rxHandles.add(h);
                if (stopReceiving) {
                    h.close();
                    return null;
                }
                fault("handles cloned").increment();
                return h;
            } catch (IllegalStateException rootClosed) {
                return null;
            }
        }

        void run() throws InterruptedException {
            int w = 0;
            for (int p = 0; p < PRODUCERS; p++) {
                workers.add(new Producer(this, w++));
            }
            for (int c = 0; c < CONSUMERS; c++) {
                workers.add(new Consumer(this, w++));
            }
            for (int s = 0; s < SELECTORS; s++) {
                workers.add(new SelectWorker(this, w++));
            }
            for (Worker wk : workers) {
                boolean virtual = threadMode == 1 || (threadMode == 2 && (wk.index & 1) == 1);
                Thread.Builder b = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
                wk.thread = b.name("soak-" + wk.getClass().getSimpleName() + "-" + wk.index).unstarted(wk);
            }
            for (Worker wk : workers) {
                wk.thread.start();
            }
            // Chaos while the round runs: close a worker's handle under it now and then.
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() - end < 0) {
                Thread.sleep(1 + rnd.nextInt(4));
                Worker victim = workers.get(rnd.nextInt(workers.size()));
                if (victim.closeCurrentHandle()) {
                    fault("handles closed under a worker").increment();
                }
            }
            // Mid-flight disconnection of one side.
            boolean receiversSide = rnd.nextBoolean();
            if (receiversSide) {
                fault("disconnect: all receivers closed").increment();
                stopReceiving = true;
                rootRx.close();
                for (Receiver<Long> h : rxHandles) {
                    h.close();
                }
            } else {
                fault("disconnect: all senders closed").increment();
                stopSending = true;
                rootTx.close();
                for (Sender<Long> h : txHandles) {
                    h.close();
                }
            }
            // Workers finish on their own (producers get DisconnectedException, consumers drain).
            long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000;
            List<Worker> hung = new ArrayList<>();
            for (Worker wk : workers) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (!wk.thread.join(Duration.ofMillis(left))) {
                    hung.add(wk);
                }
            }
            running = false;
            if (!hung.isEmpty()) {
                report.threadsLeft += hung.size();
                StringBuilder b = new StringBuilder(name + ": " + hung.size() + " thread(s) still running "
                        + JOIN_MILLIS + " ms after the disconnection (" + (receiversSide ? "receivers" : "senders")
                        + " closed); waiters registered: " + TestAccess.waiterCount(rootTx));
                for (Worker wk : hung) {
                    b.append("\n  ").append(wk.thread).append(" doing ").append(wk.doing);
                    for (StackTraceElement e : wk.thread.getStackTrace()) {
                        b.append("\n      at ").append(e);
                    }
                }
                report.problems.add(b.toString());
                for (Worker wk : hung) {
                    wk.thread.interrupt(); // frees a parked or spinning thread if it can be freed at all
                }
            }
            // Drain what is left (senders closed: everything sent must come out).
            Ledger coordinator = new Ledger();
            if (!receiversSide) {
                try {
                    for (;;) {
                        Long m = rootRx.tryRecv();
                        if (m == null) {
                            if (hung.isEmpty()) {
                                report.problems.add(name + ": tryRecv returned null on a drained channel whose senders are all closed");
                            }
                            break;
                        }
                        coordinator.received.add(m);
                    }
                } catch (DisconnectedException end2) {
                    // drained
                }
                rootRx.close();
            } else {
                rootTx.close();
            }
            for (Sender<Long> h : txHandles) {
                h.close();
            }
            for (Receiver<Long> h : rxHandles) {
                h.close();
            }
            if (hung.isEmpty()) {
                int waiters = TestAccess.waiterCount(rootTx);
                if (waiters != 0) {
                    report.waitersLeft += waiters;
                    report.problems.add(name + ": " + waiters + " waiter(s) left registered after every thread finished");
                }
            }
            audit(receiversSide, coordinator);
            report.rounds++;
        }

        private void audit(boolean receiversSide, Ledger coordinator) {
            List<Ledger> all = new ArrayList<>();
            for (Worker wk : workers) {
                all.add(wk.ledger);
            }
            all.add(coordinator);
            long sentN = 0;
            long receivedN = 0;
            long returnedN = 0;
            for (Ledger l : all) {
                sentN += l.sent.n;
                receivedN += l.received.n;
                returnedN += l.returned.n;
            }
            long[] sent = new long[(int) sentN];
            long[] received = new long[(int) receivedN];
            long[] returned = new long[(int) returnedN];
            int si = 0;
            int ri = 0;
            int ti = 0;
            for (Ledger l : all) {
                System.arraycopy(l.sent.a, 0, sent, si, l.sent.n);
                si += l.sent.n;
                System.arraycopy(l.received.a, 0, received, ri, l.received.n);
                ri += l.received.n;
                System.arraycopy(l.returned.a, 0, returned, ti, l.returned.n);
                ti += l.returned.n;
            }
            Arrays.sort(sent);
            Arrays.sort(received);
            Arrays.sort(returned);
            long dup = 0;
            long phantom = 0;
            for (int k = 0; k < received.length; k++) {
                if (k > 0 && received[k] == received[k - 1]) {
                    dup++;
                } else if (Arrays.binarySearch(sent, received[k]) < 0) {
                    phantom++;
                }
            }
            long returnedButDelivered = 0;
            for (long m : returned) {
                if (Arrays.binarySearch(sent, m) >= 0 || Arrays.binarySearch(received, m) >= 0) {
                    returnedButDelivered++;
                }
            }
            long notReceived = sent.length - (received.length - dup - phantom);
            long lostHere = 0;
            long discardedHere = 0;
            if (receiversSide) {
                discardedHere = notReceived;
                long bound = capacity < 0 ? Long.MAX_VALUE : capacity;
                if (discardedHere > bound) {
                    lostHere = discardedHere - bound;
                    report.problems.add(name + ": " + discardedHere + " messages sent but never received after the receivers"
                            + " closed; a buffer of " + capacity + " can hold at most " + bound);
                }
            } else {
                lostHere = notReceived;
                if (lostHere != 0) {
                    report.problems.add(name + ": " + lostHere + " message(s) sent but never received, senders closed");
                }
            }
            if (dup + phantom != 0) {
                report.problems.add(name + ": " + dup + " duplicated and " + phantom + " never-sent message(s) received");
            }
            if (returnedButDelivered != 0) {
                report.problems.add(name + ": " + returnedButDelivered + " message(s) both returned by DisconnectedException and sent");
            }
            report.sent += sent.length;
            report.received += received.length;
            report.returned += returned.length;
            report.discarded += discardedHere;
            report.lost += lostHere;
            report.duplicated += dup + phantom + returnedButDelivered;
        }
    }

    /** A worker thread's body and the handle it holds now. */
    abstract class Worker implements Runnable {
        final Round round;
        final int index;
        final Ledger ledger = new Ledger();
        Thread thread;
        volatile String doing = "starting";

        Worker(Round round, int index) {
            this.round = round;
            this.index = index;
        }

        /** Closes this worker's current handle (chaos); true if there was one. */
        abstract boolean closeCurrentHandle();

        /** About a quarter of blocking operations: interrupt this thread a few microseconds from now. */
        void maybeScheduleInterrupt(ThreadLocalRandom r) {
            if (r.nextInt(4) == 0) {
                Thread me = Thread.currentThread();
                fault("interrupts scheduled").increment();
                interrupter.schedule(me::interrupt, r.nextInt(1, 300), TimeUnit.MICROSECONDS);
            }
        }

        Duration shortTimeout(ThreadLocalRandom r) {
            return Duration.ofNanos(r.nextLong(0, 2_000_000));
        }
    }

    final class Producer extends Worker {
        volatile Sender<Long> tx;

        Producer(Round round, int index) {
            super(round, index);
        }

        @Override
        boolean closeCurrentHandle() {
            Sender<Long> h = tx;
            if (h != null && !h.isClosed()) {
                h.close();
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            tx = round.cloneTx();
            Long pending = null;
            try {
                while (tx != null) {
                    if (pending == null) {
                        pending = ids.getAndIncrement();
                    }
                    Sender<Long> h = tx;
                    int kind = r.nextInt(8);
                    try {
                        boolean sent;
                        if (kind < 3) {
                            doing = "send";
                            report.blockingOps.increment();
                            maybeScheduleInterrupt(r);
                            h.send(pending);
                            sent = true;
                        } else if (kind < 6) {
                            doing = "trySend(timeout)";
                            report.timedOps.increment();
                            sent = h.trySend(pending, shortTimeout(r));
                            if (!sent) {
                                fault("timeouts").increment();
                            }
                        } else {
                            doing = "trySend";
                            sent = h.trySend(pending);
                        }
                        if (sent) {
                            ledger.sent.add(pending);
                            pending = null;
                        }
                    } catch (InterruptedException e) {
                        fault("InterruptedException thrown").increment();
                    } catch (DisconnectedException e) {
                        if (!pending.equals(e.unsentMessage())) {
                            report.problems.add("DisconnectedException carried " + e.unsentMessage()
                                    + " instead of " + pending);
                        }
                        ledger.returned.add(pending);
                        pending = null;
                        fault("DisconnectedException on send").increment();
                        break;
                    } catch (IllegalStateException closed) {
                        fault("IllegalStateException (handle closed)").increment();
                        tx = round.cloneTx();
                        continue;
                    }
                    if (r.nextInt(100) == 0) { // close and re-clone at random
                        h.close();
                        fault("handles closed by their worker").increment();
                        tx = round.cloneTx();
                    }
                }
            } finally {
                Sender<Long> h = tx;
                if (h != null) {
                    h.close();
                }
                Thread.interrupted();
                doing = "done";
            }
        }
    }

    final class Consumer extends Worker {
        volatile Receiver<Long> rx;

        Consumer(Round round, int index) {
            super(round, index);
        }

        @Override
        boolean closeCurrentHandle() {
            Receiver<Long> h = rx;
            if (h != null && !h.isClosed()) {
                h.close();
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            rx = round.cloneRx();
            try {
                while (rx != null) {
                    Receiver<Long> h = rx;
                    int kind = r.nextInt(8);
                    try {
                        Long m;
                        if (kind < 3) {
                            doing = "recv";
                            report.blockingOps.increment();
                            maybeScheduleInterrupt(r);
                            m = h.recv();
                        } else if (kind < 6) {
                            doing = "tryRecv(timeout)";
                            report.timedOps.increment();
                            m = h.tryRecv(shortTimeout(r));
                            if (m == null) {
                                fault("timeouts").increment();
                            }
                        } else {
                            doing = "tryRecv";
                            m = h.tryRecv();
                        }
                        if (m != null) {
                            ledger.received.add(m);
                        }
                    } catch (InterruptedException e) {
                        fault("InterruptedException thrown").increment();
                    } catch (DisconnectedException e) {
                        fault("DisconnectedException on receive").increment();
                        break;
                    } catch (IllegalStateException closed) {
                        fault("IllegalStateException (handle closed)").increment();
                        rx = round.cloneRx();
                        continue;
                    }
                    if (r.nextInt(100) == 0) {
                        h.close();
                        fault("handles closed by their worker").increment();
                        rx = round.cloneRx();
                    }
                }
            } finally {
                Receiver<Long> h = rx;
                if (h != null) {
                    h.close();
                }
                Thread.interrupted();
                doing = "done";
            }
        }
    }

    /** Selects between receiving from the channel and sending into it (same channel, both branches). */
    final class SelectWorker extends Worker {
        volatile Sender<Long> tx;
        volatile Receiver<Long> rx;

        SelectWorker(Round round, int index) {
            super(round, index);
        }

        @Override
        boolean closeCurrentHandle() {
            Sender<Long> t = tx;
            if (t != null && !t.isClosed() && ThreadLocalRandom.current().nextBoolean()) {
                t.close();
                return true;
            }
            Receiver<Long> h = rx;
            if (h != null && !h.isClosed()) {
                h.close();
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            tx = round.cloneTx();
            rx = round.cloneRx();
            Long pending = null;
            final Object sentMark = new Object();
            final Object sendGone = new Object();
            final Object recvGone = new Object();
            try {
                while (rx != null || tx != null) {
                    Sender<Long> t = tx;
                    Receiver<Long> h = rx;
                    if (pending == null && t != null) {
                        pending = ids.getAndIncrement();
                    }
                    Select<Object> sel = new Select<>();
                    if (h != null) {
                        sel.recv(h, m -> m, () -> recvGone);
                    }
                    Long offer = pending;
                    if (t != null) {
                        sel.send(t, offer, () -> sentMark, () -> sendGone);
                    }
                    int kind = r.nextInt(8);
                    try {
                        Object out;
                        if (kind < 3) {
                            doing = "select()";
                            report.blockingOps.increment();
                            maybeScheduleInterrupt(r);
                            out = sel.select();
                        } else if (kind < 6) {
                            doing = "select(timeout)";
                            report.timedOps.increment();
                            Optional<Object> o = sel.select(shortTimeout(r));
                            out = o.orElse(null);
                            if (out == null) {
                                fault("timeouts").increment();
                            }
                        } else {
                            doing = "trySelect()";
                            out = sel.trySelect().orElse(null);
                        }
                        if (out == sentMark) {
                            ledger.sent.add(offer);
                            pending = null;
                        } else if (out == sendGone) {
                            fault("select disconnect handler (send)").increment();
                            ledger.returned.add(offer);
                            pending = null;
                            t.close();
                            tx = null;
                        } else if (out == recvGone) {
                            fault("select disconnect handler (receive)").increment();
                            h.close();
                            rx = null;
                        } else if (out instanceof Long m) {
                            ledger.received.add(m);
                        }
                    } catch (InterruptedException e) {
                        fault("InterruptedException thrown").increment();
                    } catch (IllegalStateException closed) {
                        fault("IllegalStateException (handle closed)").increment();
                        if (t != null && t.isClosed()) {
                            tx = round.cloneTx();
                        }
                        if (h != null && h.isClosed()) {
                            rx = round.cloneRx();
                        }
                    }
                    if (tx == null && pending != null) {
                        pending = null; // generated but never offered through an open handle: not a message
                    }
                }
            } finally {
                Sender<Long> t = tx;
                if (t != null) {
                    t.close();
                }
                Receiver<Long> h = rx;
                if (h != null) {
                    h.close();
                }
                Thread.interrupted();
                doing = "done";
            }
        }
    }
}
