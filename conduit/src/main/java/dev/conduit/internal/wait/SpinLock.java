package dev.conduit.internal.wait;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A test-and-test-and-set lock for the wait lists' few-instruction critical sections.
 *
 * <p>Why not {@link java.util.concurrent.locks.ReentrantLock}: under contention it parks, and on
 * our machines a park/unpark pair costs tens of microseconds, far more than the list operation it
 * protects; on a rendezvous channel both sides take the lock for every hand-off, so a parking lock
 * turned each contended hand-off into a park. crossbeam-channel guards its wakers with a spin lock
 * for the same reason. Waiting here spins, then yields ({@link Backoff}); nothing ever blocks,
 * parks or calls out while holding it, so holders are quick and a virtual thread is never pinned
 * (it cannot be unmounted while holding it, and it holds it only for a few instructions).
 *
 * <p>Memory ordering: acquire is a CAS (volatile), release a {@code setRelease} that pairs with
 * the next holder's CAS, so everything written under the lock is seen by the next holder.
 */
public final class SpinLock {

    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(SpinLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 1 while held. CAS to take (volatile), release store to give back. */
    private volatile int locked;

    /** Takes the lock, spinning and yielding until it is free. */
    public void lock() {
        if (!LOCKED.compareAndSet(this, 0, 1)) {
            contended();
        }
    }

    private void contended() {
        for (int step = 0; ; ) {
            if (locked == 0 && LOCKED.compareAndSet(this, 0, 1)) {
                return;
            }
            if (Backoff.completed(step)) {
                Thread.yield();
            } else {
                step = Backoff.snooze(step);
            }
        }
    }

    /** Gives the lock back. */
    public void unlock() {
        LOCKED.setRelease(this, 0); // pairs with the next lock()'s CAS
    }
}
