package dev.conduit.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Bytes allocated per message by the two threads of a hand-off, counted exactly with the JDK's
 * per-thread allocation counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}).
 *
 * <p>Why beside JMH's {@code -prof gc}: that profiler divides the whole JVM's allocation by the
 * operations, so the harness's and JMH's own background allocation (a few hundred kilobytes per
 * iteration) shows up as a fraction of a byte per message, more the slower the scenario: about
 * 0.05 B at 15 msg/us, 0.5 B at 0.3 msg/us, whatever the channel does. This counts only what the
 * producer and the consumer threads allocate while they move the messages, through the same
 * {@link Pipe} adapters as the benchmarks, after a warm-up pass on the same threads (see
 * {@link #transfer}).
 *
 * <p>Usage: {@code ExactAlloc [out.properties] [impl...]}; default implementations: conduit, abq,
 * sq, jox, lbq, ltq. Capacities 0, 16, 1024 and unbounded (an implementation without a form for one
 * is skipped);
 * platform threads (a virtual thread's counter is not kept by the JDK). The properties feed
 * {@link Report}.
 */
public final class ExactAlloc {
    static final int MESSAGES = 200_000;
    static final int MEASURED_PASSES = 3;
    static final int[] CAPACITIES = {0, 16, 1024, Pipes.UNBOUNDED};
    /**
     * The holder object of one block of Conduit's unbounded list: a 12-byte object header and two
     * compressed references (the slot array and the next block), aligned to 8. The slot array is
     * counted; together they match the measured bytes per message exactly (296 B per 63).
     */
    static final int BLOCK_HOLDER_BYTES = 24;

    private ExactAlloc() {
    }

    public static void main(String[] args) throws Exception {
        MainArgs cli = MainArgs.parse(args, List.of("conduit", "abq", "lbq", "ltq", "sq", "jox"));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocation per thread");
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        Integer[] messages = Harness.messages(MESSAGES);
        StringBuilder props = new StringBuilder("# bytes allocated per message by producer + consumer, platform threads, ")
                .append(MESSAGES).append(" messages, the least of ").append(MEASURED_PASSES)
                .append(" passes after a warm-up pass\nmessages=").append(MESSAGES).append('\n');
        System.out.printf(Locale.ROOT, "%-10s %9s %14s%n", "impl", "capacity", "B per message"); // -1: unbounded
        for (String impl : cli.impls()) {
            for (int capacity : CAPACITIES) {
                Pipe pipe;
                try {
                    pipe = Pipes.create(impl, capacity, 1, 1);
                } catch (IllegalArgumentException noSuchForm) {
                    continue;
                }
                long bytes = transfer(mx, pipe, messages);
                pipe.close();
                String value = String.format(Locale.ROOT, "%.4f", bytes / (double) MESSAGES);
                props.append("alloc.").append(impl).append('.').append(capacity).append('=').append(value).append('\n');
                props.append("alloc.").append(impl).append('.').append(capacity).append(".bytes=").append(bytes).append('\n');
                System.out.printf(Locale.ROOT, "%-10s %9d %14s  (%d bytes in all)%n", impl, capacity, value, bytes);
            }
        }
        // One block of the unbounded list: its slot array, counted, and its holder. The target
        // (at most one block per 32 messages) is then blocks per message = bytes / blockBytes.
        int slots = dev.conduit.internal.flavor.ListFlavor.DEFAULT_LAP - 1;
        long blockBytes = arrayBytes(mx, slots) + BLOCK_HOLDER_BYTES;
        props.append("alloc.conduit.block.slots=").append(slots).append('\n');
        props.append("alloc.conduit.block.bytes=").append(blockBytes).append('\n');
        System.out.printf(Locale.ROOT, "conduit unbounded: one block of %d slots is %d bytes%n", slots, blockBytes);
        cli.write(props);
    }

    /** Bytes the current thread allocates for one {@code Object[length]}, counted. */
    private static long arrayBytes(com.sun.management.ThreadMXBean mx, int length) {
        Object[][] keep = new Object[1][];
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 1000; i++) { // the least of many counts: the JIT's first runs may allocate
            long before = mx.getCurrentThreadAllocatedBytes();
            keep[0] = new Object[length];
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return best;
    }

    /**
     * Moves every message from a producer thread to a consumer thread, in a warm-up pass and then
     * {@value #MEASURED_PASSES} measured ones; returns the sum over both threads of the least
     * each allocated in a measured pass. The warm-up compiles the paths. The least of several
     * passes leaves out what a thread allocates once for its life (Conduit's per-thread waiter,
     * about 200 bytes, made on the thread's first blocking wait, which may fall in any pass):
     * it can fall in one pass only, while a cost per message would show in every pass.
     */
    private static long transfer(com.sun.management.ThreadMXBean mx, Pipe pipe, Integer[] messages) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        long[] allocated = new long[2];
        Throwable[] error = new Throwable[2];
        Pipe.Tx tx = pipe.tx(0);
        Pipe.Rx rx = pipe.rx(0);
        Thread producer = Thread.ofPlatform().name("alloc-producer").start(() -> counted(mx, start, allocated, error, 0,
                () -> {
                    for (Integer m : messages) {
                        tx.send(m);
                    }
                }));
        Thread consumer = Thread.ofPlatform().name("alloc-consumer").start(() -> counted(mx, start, allocated, error, 1,
                () -> receiveAll(rx, messages)));
        start.countDown();
        producer.join();
        consumer.join();
        for (Throwable t : error) {
            if (t != null) {
                throw new IllegalStateException("transfer failed", t);
            }
        }
        return allocated[0] + allocated[1];
    }

    private static void receiveAll(Pipe.Rx rx, Integer[] messages) throws InterruptedException {
        for (int i = 0; i < messages.length; i++) {
            if (rx.recv() != messages[i]) {
                throw new IllegalStateException("message " + i + " out of order or lost");
            }
        }
    }

    private static void counted(com.sun.management.ThreadMXBean mx, CountDownLatch start, long[] allocated,
                                Throwable[] error, int slot, Harness.Work pass) {
        try {
            start.await();
            pass.run(); // the warm-up pass
            long least = Long.MAX_VALUE;
            for (int i = 0; i < MEASURED_PASSES; i++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                pass.run();
                least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
            }
            allocated[slot] = least;
        } catch (Throwable t) {
            error[slot] = t;
        }
    }
}
