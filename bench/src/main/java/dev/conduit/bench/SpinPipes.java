package dev.conduit.bench;

import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.jctools.queues.SpscUnboundedArrayQueue;

/**
 * The reference for what the hardware allows: JCTools lock-free queues (the single/multi
 * producer/consumer variant that fits the scenario) driven by busy-spin offer/poll. It never
 * parks, so it is not a peer a user would pick for blocking code; it shows the ceiling.
 *
 * <p>Spinning is {@link Thread#onSpinWait()}; every {@value #YIELD_EVERY} failed attempts the thread
 * lets others run (and honours interruption): a platform thread calls {@link Thread#yield()}, a
 * virtual thread parks for {@value #VIRTUAL_PAUSE_NANOS} ns. Virtual threads are not preempted, so
 * without it a spinning virtual thread could hold a carrier forever while the thread it waits for
 * cannot run. A yield was not enough for them: with four spinning virtual threads on two
 * carriers (MPMC 2:2), the yielded spinners kept being rescheduled ahead of the producers not yet
 * started, and a run stalled for 120 s with no message sent; a park leaves the carrier free to
 * take queued work. On platform threads it is rare enough not to matter.
 *
 * <p>A second reference, {@code jctools_mpmc} ({@link #mpmcQueue}), uses {@code MpmcArrayQueue} whatever
 * the thread counts: a queue that, like a channel, lets any number of threads send and receive, so
 * every offer and poll is an atomic read-modify-write. It separates what the single-producer
 * queue gains from that restriction (which a channel's API cannot make: any handle may be shared
 * by many threads) from what it gains from spinning.
 *
 * <p>At capacity 0 there is no JCTools form; the reference hand-off is a send that offers and then
 * spins until its message was taken (the queue is empty again), i.e. rendezvous semantics.
 */
final class SpinPipes {
    static final int YIELD_EVERY = 1024;
    /** How long a spinning virtual thread parks every {@link #YIELD_EVERY} failed attempts. */
    static final long VIRTUAL_PAUSE_NANOS = 1_000;
    /** Chunk size of the unbounded queues: one chunk allocated per this many messages. */
    static final int CHUNK = 1024;

    private SpinPipes() {
    }

    static int idle(int spins) throws InterruptedException {
        if ((++spins & (YIELD_EVERY - 1)) == 0) {
            if (Thread.currentThread().isVirtual()) {
                LockSupport.parkNanos(VIRTUAL_PAUSE_NANOS);
            } else {
                Thread.yield();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        } else {
            Thread.onSpinWait();
        }
        return spins;
    }

    static MessagePassingQueue<Integer> newQueue(int capacity, int producers, int consumers) {
        if (capacity == Pipes.UNBOUNDED) {
            if (consumers > 1) {
                throw new IllegalArgumentException("jctools has no unbounded multi-consumer queue");
            }
            return producers == 1 ? new SpscUnboundedArrayQueue<>(CHUNK) : new MpscUnboundedArrayQueue<>(CHUNK);
        }
        int cap = Math.max(capacity, 2);
        if (producers == 1 && consumers == 1) {
            return new SpscArrayQueue<>(cap);
        }
        return consumers == 1 ? new MpscArrayQueue<>(cap) : new MpmcArrayQueue<>(cap);
    }

    static void send(MessagePassingQueue<Integer> q, Integer m, boolean handoff) throws InterruptedException {
        int spins = 0;
        while (!q.offer(m)) {
            spins = idle(spins);
        }
        if (handoff) {
            while (!q.isEmpty()) {
                spins = idle(spins);
            }
        }
    }

    static Integer recv(MessagePassingQueue<Integer> q) throws InterruptedException {
        int spins = 0;
        Integer m;
        while ((m = q.poll()) == null) {
            spins = idle(spins);
        }
        return m;
    }

    static Pipe queue(int capacity, int producers, int consumers) {
        return pipe(newQueue(capacity, producers, consumers), capacity == 0);
    }

    /** The multi-producer, multi-consumer reference: bounded only (JCTools has no unbounded MPMC queue). */
    static Pipe mpmcQueue(int capacity) {
        if (capacity == Pipes.UNBOUNDED) {
            throw Pipes.unsupported("jctools_mpmc", capacity);
        }
        return pipe(new MpmcArrayQueue<>(Math.max(capacity, 2)), capacity == 0);
    }

    private static Pipe pipe(MessagePassingQueue<Integer> q, boolean handoff) {
        return new Pipe() {
            @Override
            public Tx tx(int index) {
                return m -> send(q, m, handoff);
            }

            @Override
            public Rx rx(int index) {
                return () -> recv(q);
            }
        };
    }

    /** One single-producer queue per lane; the receiver polls the lanes round robin. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Pipe select(int lanes, int capacity) {
        MessagePassingQueue<Integer>[] qs = new MessagePassingQueue[lanes];
        for (int i = 0; i < lanes; i++) {
            qs[i] = newQueue(capacity, 1, 1);
        }
        boolean handoff = capacity == 0;
        return new Pipe() {
            @Override
            public Tx tx(int index) {
                MessagePassingQueue<Integer> q = qs[index % lanes];
                return m -> send(q, m, handoff);
            }

            @Override
            public Rx rx(int index) {
                return new RoundRobin(qs);
            }
        };
    }

    private static final class RoundRobin implements Pipe.Rx {
        private final MessagePassingQueue<Integer>[] qs;
        private int next;

        RoundRobin(MessagePassingQueue<Integer>[] qs) {
            this.qs = qs;
        }

        @Override
        public Integer recv() throws InterruptedException {
            int spins = 0;
            int n = qs.length;
            for (;;) {
                for (int k = 0; k < n; k++) {
                    int i = next + k;
                    if (i >= n) {
                        i -= n;
                    }
                    Integer m = qs[i].poll();
                    if (m != null) {
                        next = i + 1 == n ? 0 : i + 1;
                        return m;
                    }
                }
                spins = idle(spins);
            }
        }
    }
}
