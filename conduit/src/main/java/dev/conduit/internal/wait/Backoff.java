package dev.conduit.internal.wait;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * How long a thread that cannot proceed keeps trying before it parks: a short exponential spin,
 * then yields, then (the caller's business) a park.
 *
 * <p>Why: on the machines we measure, a park/unpark pair costs tens of microseconds, while the
 * peer thread usually makes the awaited progress within a few microseconds. Catching that
 * progress without sleeping is worth one to two orders of magnitude on hand-offs (see
 * docs/adr/0003-spin-then-park.md). Why the spin turns into yields: with more runnable threads
 * than cores, a spinner steals the core from the very thread it waits for, and
 * {@link Thread#yield()} lets that thread run.
 *
 * <p>Two kinds of wait use it:
 * <ul>
 *   <li>waiting for a peer's <em>next</em> operation (a blocking send on a full channel, a receive
 *       on an empty one, a registered waiter): spin, then yield until the patience
 *       ({@link #PATIENCE_NANOS}, {@link Patience}) is spent, then park;</li>
 *   <li>waiting for a peer that is <em>mid-operation</em> (a claimed slot not yet written, a
 *       block being linked, a lock holder): a few instructions away, so these never park; they
 *       count steps ({@link #completed}) and then keep yielding.</li>
 * </ul>
 *
 * <p>The state of the second kind is an {@code int} step held by the caller; the first kind's is a
 * {@link Patience}, one per thread, reused: backing off allocates nothing. Steps {@code 0..SPIN_LIMIT} spin {@code 2^step}
 * times, later steps yield. Virtual threads spin as long but yield for a much shorter time before
 * they park ({@link #VIRTUAL_PATIENCE_NANOS}): for them a yield is a trip through the scheduler
 * that costs about as much as the park it would save (see docs/adr/0003-spin-then-park.md).
 */
public final class Backoff {

    /** Last spinning step: 1+2+...+64 = 127 spin-wait hints, about 3.5 us here (27 ns a hint). */
    static final int SPIN_LIMIT = 6;
    /** Steps after the spin that yield, for the step-counted waits ({@link #completed}): a peer known to be mid-operation. */
    static final int YIELD_LIMIT = 10;
    /**
     * How long a thread that waits for a peer's <em>next</em> operation keeps yielding and
     * retrying before it parks ({@link Patience}). It must outlast a park/unpark round on our
     * machines (about 30 us, see PERFORMANCE.md): with a shorter budget, one side that parked makes
     * the other wait past its own budget, so it parks too, and a ping-pong settles into parking on
     * every hop (measured: 30 us per rendezvous round trip with a ~10 us budget, a few us with
     * this one). Spent at most once per blocking call, so a thread blocked for a second burns
     * well under 0.1% of a core; and its yields hand the core to any runnable thread.
     */
    static final long PATIENCE_NANOS = 60_000;
    /**
     * The patience of a virtual thread. Its {@code Thread.yield()} unmounts it and goes through
     * the scheduler (a few microseconds, even with nothing else to run), and its park/unpark,
     * while the carriers are busy, costs little more, so long yielding only slows the hand-off:
     * measured on the rendezvous benchmarks, a 60 us patience with a 15-hint spin gave 0.7-0.8
     * msg/us one-way and 2.2-3.3 us per round trip; the full spin and this patience gave 1.4-1.6
     * msg/us and 1.3-1.4 us. A few yields remain, so that a virtual thread that waits lets the
     * others queued on its carrier run before it parks.
     */
    static final long VIRTUAL_PATIENCE_NANOS = 5_000;
    /**
     * The patience also ends after this many steps, whatever the clock says: a yield costs about
     * half a microsecond here, so the clock normally ends it first; the count keeps it finite
     * where time stands still (Lincheck's model checker returns a constant {@code nanoTime}).
     */
    static final int PATIENCE_STEPS = 128;

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private Backoff() {
    }

    /** Whether a back-off at {@code step} has run its course and the caller should park. */
    public static boolean completed(int step) {
        return step > YIELD_LIMIT;
    }

    /**
     * The step counters saturate here, so that a wait of any length never wraps them (a negative
     * step would spin {@code 1 << step} with a meaningless shift). Past {@link #YIELD_LIMIT}, so
     * that {@link #completed} stays true once it has become true.
     */
    static final int STEP_CAP = YIELD_LIMIT + 1;

    /** Spins (for a peer that just made progress, such as the winner of a CAS); returns the next step. */
    public static int spin(int step) {
        int n = 1 << Math.min(step, SPIN_LIMIT);
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
        return next(step);
    }

    /**
     * Spins, or yields once the spin is over (for a peer known to be mid-operation, which may have
     * been descheduled there); returns the next step.
     */
    public static int snooze(int step) {
        if (step >= 0 && step <= SPIN_LIMIT) {
            for (int i = 0, n = 1 << step; i < n; i++) {
                Thread.onSpinWait();
            }
        } else {
            Thread.yield();
        }
        return next(step);
    }

    private static int next(int step) {
        return step >= 0 && step < STEP_CAP ? step + 1 : STEP_CAP;
    }

    /** Spins {@code 2^step} hints, {@code step <= SPIN_LIMIT}. */
    static void spinHints(int step) {
        for (int i = 0, n = 1 << step; i < n; i++) {
            Thread.onSpinWait();
        }
    }

    /** Whether {@code thread} is a virtual thread (always false before Java 21). */
    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable impossible) {
            return false;
        }
    }

    // The library is compiled for Java 17, where Thread.isVirtual() does not exist; on 21+ we
    // reach it through a method handle, which the JIT inlines like a direct call.
    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return null;
        }
    }
}
