package dev.conduit.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one harness every implementation runs through. Per JMH iteration it starts its own threads
 * (platform or virtual), and ends every one of them in the iteration's tear-down, so nothing spins
 * between iterations or after the benchmark.
 *
 * <p><b>Drivers</b> (producers, the ping-pong client) repeatedly do their slice of a batch of
 * pre-made messages; <b>responders</b> (consumers, the echo) run until they receive {@link #POISON}.
 * A producer's slice ends with {@link #MARK} sent down the pipe; each MARK a consumer receives
 * completes one slice (the ping-pong client reports its slices itself). The benchmark method
 * ({@link #batch()}) waits, parked, until one more batch (one slice per driver) is complete, so each
 * call accounts for exactly one batch of messages.
 *
 * <p>The threads do not wait for the JMH thread: a driver may start a slice when the batch two
 * before it is complete (credits handed out by whoever completes a batch), so at most two batches
 * are in flight (this bounds the backlog of unbounded channels) and a late wake-up of the JMH thread
 * costs no throughput: the batches it missed are already complete when it runs, and its next calls
 * return at once. Drivers look at the stop flag every {@value #STOP_CHECK} messages, so a tear-down
 * ends them promptly.
 *
 * <p>The markers are a few messages per batch (one per producer per tens of thousands), the same
 * for every implementation. Per-message work in the threads is only the adapter call, an identity
 * comparison, and every {@value #STOP_CHECK} messages one volatile read.
 */
final class Harness {
    /** Ends a producer's slice of a batch. Not a value the messages use (they are 0..n-1). */
    static final Integer MARK = Integer.valueOf(-1);
    /** Ends a responder. */
    static final Integer POISON = Integer.valueOf(-2);
    /** A batch that makes no progress for this long is reported as stalled (a bug, not a score). */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** Batches a driver may have in flight: the one being completed and the next. */
    static final int AHEAD = 2;
    /** Drivers check the stop flag once per this many messages (a power of two). */
    static final int STOP_CHECK = 64;

    /** Work of a thread; exceptions end the benchmark with an error. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private final ThreadFactory factory;
    private final List<Thread> drivers = new ArrayList<>();
    private final List<Thread> responders = new ArrayList<>();
    private final List<Semaphore> credits = new ArrayList<>();
    private final AtomicLong slicesDone = new AtomicLong();
    private volatile long target;
    private volatile Thread waiter;
    volatile boolean stopping;
    private volatile Throwable failure;
    /** Sends each responder its POISON once the drivers have ended. */
    private Work poisoner;

    Harness(String threads) {
        factory = switch (threads) {
            case "platform" -> Thread.ofPlatform().daemon().name("bench-platform-", 0).factory();
            case "virtual" -> Thread.ofVirtual().name("bench-virtual-", 0).factory();
            default -> throw new IllegalArgumentException("threads must be platform or virtual: " + threads);
        };
    }

    /** {@code n} distinct pre-made messages 0..n-1. */
    static Integer[] messages(int n) {
        Integer[] m = new Integer[n];
        for (int i = 0; i < n; i++) {
            m[i] = Integer.valueOf(i);
        }
        return m;
    }

    /**
     * The throughput harness: {@code producers} threads each send their share of {@code batch}
     * followed by a MARK into {@code pipe}; {@code consumers} threads receive until POISON.
     * Started before it returns.
     */
    static Harness flow(Pipe pipe, int producers, int consumers, Integer[] batch, String threads) {
        if (batch.length % producers != 0) {
            throw new IllegalArgumentException("batch " + batch.length + " does not split over " + producers);
        }
        Harness h = new Harness(threads);
        int share = batch.length / producers;
        for (int p = 0; p < producers; p++) {
            Pipe.Tx tx = pipe.tx(p);
            Integer[] mine = Arrays.copyOfRange(batch, p * share, (p + 1) * share);
            h.driver(() -> {
                for (int i = 0; i < mine.length; i++) {
                    if ((i & (STOP_CHECK - 1)) == 0 && h.stopping) {
                        return;
                    }
                    tx.send(mine[i]);
                }
                tx.send(MARK);
            });
        }
        for (int c = 0; c < consumers; c++) {
            Pipe.Rx rx = pipe.rx(c);
            h.responder(() -> {
                for (;;) {
                    Integer m = rx.recv();
                    if (m == MARK) {
                        h.sliceDone();
                    } else if (m == POISON) {
                        return;
                    }
                }
            });
        }
        Pipe.Tx control = pipe.tx(producers);
        h.start(() -> {
            for (int c = 0; c < consumers; c++) {
                control.send(POISON);
            }
        });
        return h;
    }

    /**
     * The round-trip harness: one client sends each message of {@code batch} on {@code ping} and
     * waits for the echo on {@code pong}; one echo thread sends back what it receives.
     */
    static Harness pingPong(Pipe ping, Pipe pong, Integer[] batch, String threads) {
        Harness h = new Harness(threads);
        Pipe.Tx out = ping.tx(0);
        Pipe.Rx back = pong.rx(0);
        h.driver(() -> {
            for (int i = 0; i < batch.length; i++) {
                if ((i & (STOP_CHECK - 1)) == 0 && h.stopping) {
                    return;
                }
                Integer m = batch[i];
                out.send(m);
                if (back.recv() != m) {
                    throw new IllegalStateException("echo returned another message");
                }
            }
            h.sliceDone();
        });
        Pipe.Rx in = ping.rx(0);
        Pipe.Tx echo = pong.tx(0);
        h.responder(() -> {
            for (;;) {
                Integer m = in.recv();
                if (m == POISON) {
                    return;
                }
                echo.send(m);
            }
        });
        Pipe.Tx control = ping.tx(1);
        h.start(() -> control.send(POISON));
        return h;
    }

    private void driver(Work slice) {
        Semaphore credit = new Semaphore(AHEAD);
        credits.add(credit);
        drivers.add(factory.newThread(() -> guard(() -> {
            for (;;) {
                credit.acquire();
                if (stopping) {
                    return;
                }
                slice.run();
            }
        })));
    }

    private void responder(Work loop) {
        responders.add(factory.newThread(() -> guard(loop)));
    }

    private void guard(Work w) {
        try {
            w.run();
        } catch (InterruptedException e) {
            if (!stopping) {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private void start(Work poisoner) {
        this.poisoner = poisoner;
        waiter = Thread.currentThread();
        responders.forEach(Thread::start);
        drivers.forEach(Thread::start);
    }

    private void creditAll() {
        for (Semaphore g : credits) {
            g.release();
        }
    }

    /**
     * A slice is complete. Every {@code drivers} slices (a batch's worth) each driver gets the credit
     * for one more slice; the JMH thread is woken if it waits for this batch.
     */
    void sliceDone() {
        long done = slicesDone.incrementAndGet();
        if (done % credits.size() == 0) {
            creditAll();
        }
        if (done >= target) {
            LockSupport.unpark(waiter);
        }
    }

    /** One benchmark invocation: wait until one more batch is complete. */
    void batch() throws InterruptedException {
        waiter = Thread.currentThread();
        long t = target + drivers.size();
        target = t; // written before slicesDone is read: a slice finishing now sees it and unparks
        long seen = slicesDone.get();
        long since = System.nanoTime();
        while (seen < t) {
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("a benchmark thread failed", f);
            }
            LockSupport.parkNanos(this, 100_000_000L);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long now = slicesDone.get();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > STALL_NANOS) {
                throw new IllegalStateException("no batch progress for 120 s: " + describe());
            }
        }
    }

    /**
     * Ends every thread: drivers stop within {@value #STOP_CHECK} messages, responders get one
     * POISON each after the drivers ended. Throws if a thread failed or did not end; threads that
     * do not end are interrupted first, so none is left running.
     */
    void stop() throws InterruptedException {
        stopping = true;
        creditAll();
        boolean driversEnded = join(drivers);
        boolean ended = false;
        if (driversEnded && failure == null) {
            try {
                poisoner.run();
            } catch (Exception e) {
                fail(e);
            }
            ended = join(responders);
        }
        if (!ended) {
            String state = describe();
            drivers.forEach(Thread::interrupt);
            responders.forEach(Thread::interrupt);
            join(drivers);
            join(responders);
            if (failure == null) {
                throw new IllegalStateException("benchmark threads did not end: " + state);
            }
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("a benchmark thread failed", f);
        }
    }

    private static boolean join(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("slices done ").append(slicesDone.get())
                .append(", waiting for ").append(target);
        List<Thread> all = new ArrayList<>(drivers);
        all.addAll(responders);
        for (Thread t : all) {
            sb.append("\n  ").append(t.getName()).append(' ').append(t.getState());
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("\n    at ").append(e);
            }
        }
        return sb.toString();
    }
}
