package dev.conduit.internal.wait;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * How long a thread that cannot proceed keeps trying before it parks: a short exponential spin,
 * then a few yields, then (the caller's business) a park.
 *
 * <p>Why: on the machines we measure, a park/unpark pair costs tens of microseconds, while the
 * peer thread usually makes the awaited progress within a few microseconds. Catching that
 * progress without sleeping is worth one to two orders of magnitude on hand-offs (see
 * docs/adr/0003-spin-then-park.md). Why bounded: with more runnable threads than cores, a spinner
 * steals the core from the very thread it waits for, so the spin is short and is followed by
 * {@link Thread#yield()}, which lets that thread run.
 *
 * <p>The state is one {@code int} step held by the caller, so backing off allocates nothing.
 * Steps {@code 0..SPIN_LIMIT} spin {@code 2^step} times; steps up to {@code YIELD_LIMIT} yield;
 * after that {@link #completed} says it is time to park. Virtual threads spin less (a spinning
 * virtual thread holds its carrier) and go to yield sooner, since a virtual thread's yield hands
 * the carrier to another virtual thread cheaply.
 */
public final class Backoff {

    /** Last spinning step for platform threads: 1+2+...+64 = 127 spin-wait hints, a few microseconds. */
    static final int SPIN_LIMIT = 6;
    /** Last spinning step for virtual threads. */
    static final int VIRTUAL_SPIN_LIMIT = 3;
    /** Steps after the spin that yield; chosen so the whole back-off stays around ten microseconds. */
    static final int YIELD_LIMIT = 10;

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private Backoff() {
    }

    /** Whether a back-off at {@code step} has run its course and the caller should park. */
    public static boolean completed(int step) {
        return step > YIELD_LIMIT;
    }

    /** Spins only (for a peer known to be mid-operation); returns the next step. */
    public static int spin(int step) {
        int n = 1 << Math.min(step, SPIN_LIMIT);
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
        return step + 1;
    }

    /** Spins, or yields once the spin is over; returns the next step. */
    public static int snooze(int step) {
        int spinLimit = isVirtual(Thread.currentThread()) ? VIRTUAL_SPIN_LIMIT : SPIN_LIMIT;
        if (step <= spinLimit) {
            for (int i = 0, n = 1 << step; i < n; i++) {
                Thread.onSpinWait();
            }
            return step + 1;
        }
        Thread.yield();
        return step < spinLimit + 1 ? spinLimit + 1 : step + 1;
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
