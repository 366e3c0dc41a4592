package dev.conduit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Idle cost of a blocked thread (issue 4: "a receiver blocked for a second on an empty channel uses
 * under 1% of a core, and so does a blocked sender"). For each implementation, through the same
 * {@link Pipe} adapters as the benchmarks:
 * <ul>
 *   <li><b>recv</b>: a thread blocks in receive on an empty channel of capacity 1;</li>
 *   <li><b>send</b>: a thread blocks in send on a full channel of capacity 1.</li>
 * </ul>
 * On a platform thread the thread's own CPU time is read with {@link ThreadMXBean#getThreadCpuTime}
 * from just before it blocks until {@value #BLOCK_MILLIS} ms later, then it is released. The JDK's
 * thread CPU counter does not cover virtual threads, so for a virtual thread the CPU time of every
 * other Java thread over the same second is summed instead: the carrier threads that would run a
 * spinning virtual thread, the scheduler's helpers and the JVM's own Java threads. That is an upper
 * bound; the same figure for a second with nothing blocked is reported beside it.
 *
 * <p>Usage: {@code IdleCpu [out.properties] [impl...]}; default implementations: conduit, abq, jox.
 * The properties file feeds {@link Report}.
 */
public final class IdleCpu {
    static final long BLOCK_MILLIS = 1000;
    static final double LIMIT_PERCENT = 1.0;

    private IdleCpu() {
    }

    public static void main(String[] args) throws Exception {
        MainArgs cli = MainArgs.parse(args, List.of("conduit", "abq", "jox"));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        mx.setThreadCpuTimeEnabled(true);
        for (String impl : cli.impls()) {
            warmUp(impl);
        }
        StringBuilder props = new StringBuilder("# CPU of one blocked thread, % of one core over ")
                .append(BLOCK_MILLIS).append(" ms\n");
        Thread.ofVirtual().start(() -> { }).join(); // the virtual-thread scheduler exists from here on
        double baseline = otherThreadsPercent(mx, () -> Thread.sleep(BLOCK_MILLIS));
        props.append(key("baseline", "others", "virtual")).append('=').append(fmt(baseline)).append('\n');
        System.out.printf(Locale.ROOT, "%-10s %-5s %-9s %9s%n", "impl", "op", "threads", "CPU %");
        System.out.printf(Locale.ROOT, "%-10s %-5s %-9s %9s  (all other Java threads, nothing blocked)%n",
                "-", "-", "virtual", fmt(baseline));
        boolean allOk = true;
        for (String impl : cli.impls()) {
            for (String op : List.of("recv", "send")) {
                double platform = blockedPlatform(mx, impl, op);
                double virtual = blockedVirtual(mx, impl, op);
                boolean ok = platform < LIMIT_PERCENT;
                allOk &= ok || !impl.equals("conduit");
                props.append(key(impl, op, "platform")).append('=').append(fmt(platform)).append('\n');
                props.append(key(impl, op, "virtual")).append('=').append(fmt(virtual)).append('\n');
                System.out.printf(Locale.ROOT, "%-10s %-5s %-9s %9s  %s%n", impl, op, "platform", fmt(platform),
                        ok ? "ok (< 1%)" : "OVER 1%");
                System.out.printf(Locale.ROOT, "%-10s %-5s %-9s %9s  (all other Java threads: upper bound)%n",
                        impl, op, "virtual", fmt(virtual));
            }
        }
        cli.write(props);
        if (!allOk) {
            System.out.println("Conduit: a blocked thread used 1% of a core or more");
        }
    }

    private static String key(String impl, String op, String threads) {
        return "idle." + impl + "." + op + "." + threads;
    }

    private static String fmt(double pct) {
        return String.format(Locale.ROOT, "%.3f", pct);
    }

    /** A pipe of capacity 1, set up so that {@code op} blocks: empty for recv, full for send. */
    private static Pipe blockingPipe(String impl, String op) throws InterruptedException {
        Pipe p = Pipes.create(impl, 1, 1, 1);
        if (op.equals("send")) {
            p.tx(0).send(Harness.MARK);
        }
        return p;
    }

    private static Harness.Work blockedOp(Pipe p, String op) {
        Pipe.Tx tx = p.tx(0);
        Pipe.Rx rx = p.rx(0);
        return op.equals("send") ? () -> tx.send(Harness.POISON) : rx::recv;
    }

    /** Lets the blocked operation complete: take one message (send) or give one (recv). */
    private static void release(Pipe p, String op) throws InterruptedException {
        if (op.equals("send")) {
            p.rx(1).recv();
        } else {
            p.tx(1).send(Harness.MARK);
        }
    }

    private static double blockedPlatform(ThreadMXBean mx, String impl, String op) throws Exception {
        Pipe p = blockingPipe(impl, op);
        Harness.Work work = blockedOp(p, op);
        CountDownLatch ready = new CountDownLatch(1);
        long[] cpuStart = new long[1];
        Throwable[] error = new Throwable[1];
        Thread t = Thread.ofPlatform().name("idle-" + impl + "-" + op).start(() -> {
            cpuStart[0] = mx.getCurrentThreadCpuTime();
            ready.countDown();
            try {
                work.run();
            } catch (Throwable e) {
                error[0] = e;
            }
        });
        ready.await();
        long wall0 = System.nanoTime();
        Thread.sleep(BLOCK_MILLIS);
        long cpu = mx.getThreadCpuTime(t.threadId()) - cpuStart[0];
        long wall = System.nanoTime() - wall0;
        Thread.State state = t.getState();
        release(p, op);
        if (!t.join(java.time.Duration.ofSeconds(10))) {
            t.interrupt();
            throw new IllegalStateException(impl + " " + op + ": the blocked thread was not released");
        }
        if (error[0] != null) {
            throw new IllegalStateException(impl + " " + op + " failed", error[0]);
        }
        if (state == Thread.State.TERMINATED) {
            throw new IllegalStateException(impl + " " + op + ": the operation did not block");
        }
        p.close();
        return 100.0 * cpu / wall;
    }

    private static double blockedVirtual(ThreadMXBean mx, String impl, String op) throws Exception {
        Pipe p = blockingPipe(impl, op);
        Harness.Work work = blockedOp(p, op);
        Thread[] t = new Thread[1];
        // measured from before the thread starts, so the way into the blocked state counts
        double pct = otherThreadsPercent(mx, () -> {
            t[0] = Thread.ofVirtual().start(() -> {
                try {
                    work.run();
                } catch (Exception ignored) {
                    // checked below: the thread must end after release
                }
            });
            Thread.sleep(BLOCK_MILLIS);
        });
        Thread.State state = t[0].getState();
        release(p, op);
        if (!t[0].join(java.time.Duration.ofSeconds(10))) {
            throw new IllegalStateException(impl + " " + op + ": the blocked virtual thread was not released");
        }
        if (state == Thread.State.TERMINATED) {
            throw new IllegalStateException(impl + " " + op + ": the operation did not block");
        }
        p.close();
        return pct;
    }

    /**
     * CPU time of every Java thread but this one while {@code during} runs, in % of one core (a
     * thread that appears meanwhile counts with all its CPU time).
     */
    private static double otherThreadsPercent(ThreadMXBean mx, Harness.Work during) throws Exception {
        long self = Thread.currentThread().threadId();
        Map<Long, Long> before = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            if (id != self) {
                before.put(id, mx.getThreadCpuTime(id));
            }
        }
        long wall0 = System.nanoTime();
        during.run();
        long wall = System.nanoTime() - wall0;
        long cpu = 0;
        for (long id : mx.getAllThreadIds()) {
            long now = mx.getThreadCpuTime(id);
            if (id == self || now < 0) {
                continue;
            }
            Long was = before.get(id);
            cpu += now - (was == null || was < 0 ? 0 : was);
        }
        return 100.0 * cpu / wall;
    }

    /** Gets the blocking paths compiled, so the measured second is not the interpreter's. */
    private static void warmUp(String impl) throws Exception {
        Pipe p = Pipes.create(impl, 1, 1, 1);
        Pipe.Tx tx = p.tx(0);
        Pipe.Rx rx = p.rx(0);
        int n = 20_000;
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                for (int k = 0; k < n; k++) {
                    rx.recv();
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        for (int k = 0; k < n; k++) {
            tx.send(Harness.MARK);
        }
        if (!consumer.join(java.time.Duration.ofSeconds(60))) {
            consumer.interrupt();
            throw new IllegalStateException(impl + ": warm-up did not finish");
        }
        p.close();
        TimeUnit.MILLISECONDS.sleep(50);
    }
}
