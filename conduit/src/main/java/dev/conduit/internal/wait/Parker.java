package dev.conduit.internal.wait;

import java.util.concurrent.locks.LockSupport;

/**
 * The only place where threads block and are woken: a seam that tests can replace.
 *
 * <p>Production code parks with {@link LockSupport}, which suits platform and virtual threads
 * alike (a parked virtual thread releases its carrier). Lincheck's model checker treats
 * {@code LockSupport.park} as able to return spuriously at any time, which hides lost wake-ups;
 * its tests install a parker whose {@code park} can only end by an {@code unpark} or a deadline,
 * so that a lost wake-up shows up as a hang the checker reports.
 *
 * <p>Callers must tolerate spurious returns from {@link #park}: every caller re-reads the state it
 * waits for in a loop.
 */
public interface Parker {

    /** Blocks the current thread until unparked, interrupted, or (if {@code nanos > 0}) the time passes. */
    void park(Object blocker, long nanos);

    /** Makes a parked {@code thread} return from {@link #park}, or its next park return at once. */
    void unpark(Thread thread);

    /** The parker every waiter uses; {@link LockSupport} unless a test installed another. */
    static Parker current() {
        return Holder.current;
    }

    /**
     * Installs {@code parker} for every later wait (tests only; {@code null} restores the default).
     * Must not be called while any thread is blocked in a channel operation.
     */
    static void install(Parker parker) {
        Holder.current = parker == null ? Holder.LOCK_SUPPORT : parker;
    }

    /** Holds the installed parker. */
    final class Holder {
        static final Parker LOCK_SUPPORT = new Parker() {
            @Override
            public void park(Object blocker, long nanos) {
                if (nanos > 0) {
                    LockSupport.parkNanos(blocker, nanos);
                } else {
                    LockSupport.park(blocker);
                }
            }

            @Override
            public void unpark(Thread thread) {
                LockSupport.unpark(thread);
            }
        };

        // Volatile so that a test's install() is seen by threads started before it; read only on
        // the slow (parking) path, so its cost does not matter.
        static volatile Parker current = LOCK_SUPPORT;

        private Holder() {
        }
    }
}
