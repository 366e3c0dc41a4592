package dev.conduit.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@link Pipe} adapters as the benchmarks, after a warm-up pass on the same threads.
 *
 * <p>Usage: {@code ExactAlloc [out.properties] [impl...]}; default implementations: conduit, abq,
 * sq, jox. Capacities 0, 16 and 1024 (an implementation without a form for one is skipped);
 * platform threads (a virtual thread's counter is not kept by the JDK). The properties feed
 * {@link Report}.
 */
public final class ExactAlloc {
    static final int MESSAGES = 200_000;
    static final int[] CAPACITIES = {0, 16, 1024};

    private ExactAlloc() {
    }

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        List<String> impls = new ArrayList<>();
        for (int k = 1; k < args.length; k++) {
            impls.add(args[k]);
        }
        if (impls.isEmpty()) {
            impls.addAll(List.of("conduit", "abq", "sq", "jox"));
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocation per thread");
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        Integer[] messages = Harness.messages(MESSAGES);
        StringBuilder props = new StringBuilder("# bytes allocated per message by producer + consumer, platform threads, ")
                .append(MESSAGES).append(" messages after a warm-up pass\nmessages=").append(MESSAGES).append('\n');
        System.out.printf(Locale.ROOT, "%-10s %9s %14s%n", "impl", "capacity", "B per message");
        for (String impl : impls) {
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
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, props);
        }
    }

    /**
     * Moves every message twice from a producer thread to a consumer thread; returns the bytes both
     * allocated during the second pass. The first pass compiles the paths and lets each thread
     * create what it keeps for its life (Conduit's per-thread waiter, about 200 bytes, made on the
     * thread's first blocking wait), which is not a cost per message.
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
                }, () -> {
                    for (Integer m : messages) {
                        tx.send(m);
                    }
                }));
        Thread consumer = Thread.ofPlatform().name("alloc-consumer").start(() -> counted(mx, start, allocated, error, 1,
                () -> receiveAll(rx, messages), () -> receiveAll(rx, messages)));
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
                                Throwable[] error, int slot, Harness.Work warmUp, Harness.Work work) {
        try {
            start.await();
            warmUp.run();
            long before = mx.getCurrentThreadAllocatedBytes();
            work.run();
            allocated[slot] = mx.getCurrentThreadAllocatedBytes() - before;
        } catch (Throwable t) {
            error[slot] = t;
        }
    }
}
