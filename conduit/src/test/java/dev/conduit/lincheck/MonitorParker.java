package dev.conduit.lincheck;

import dev.conduit.internal.wait.Parker;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A {@link Parker} built on {@code Object.wait}/{@code notifyAll}, for Lincheck.
 *
 * <p>Why: Lincheck's model checker treats {@code LockSupport.park} as able to return by itself
 * (a spurious wake-up it may schedule at any point), so a lost wake-up never shows up as a hang.
 * An untimed {@code Object.wait()} only ends with a {@code notify}: a thread parked here whose
 * {@code unpark} never comes stays blocked, and when every thread is blocked the checker reports a
 * deadlock, naming the interleaving that lost the wake-up. Stress runs use it too (a hang there is
 * the invocation timeout).
 *
 * <p>Semantics follow {@code LockSupport}: one permit per thread; {@code unpark} gives it (also
 * before the park, which then returns at once); {@code park} consumes it, and returns early, with
 * the interrupt status kept, if the thread is interrupted. A timed park may return when the time
 * runs out. One monitor for all threads keeps the state small for the model checker; waiters
 * woken by {@code notifyAll} for another thread's permit go back to waiting, so no spurious
 * return is added.
 *
 * <p>Must be installed while no thread waits in a channel, and {@link #reset()} at the start of
 * each invocation so that a permit left by the last one (a late {@code unpark}, legal in the
 * protocol) cannot make the checker's replays diverge.
 */
public final class MonitorParker implements Parker {

    /** The parker the Lincheck tests install. */
    public static final MonitorParker INSTANCE = new MonitorParker(false);
    /**
     * A broken parker that loses every {@code unpark}: installed by the test that proves a lost
     * wake-up is reported (as a deadlock) rather than missed.
     */
    static final MonitorParker LOSSY = new MonitorParker(true);

    private final boolean lossy;
    /** How many parks began (a test of the checker waits for one before it sends). */
    volatile int parks;

    private final Object monitor = new Object();
    /** Threads holding a permit; guarded by {@link #monitor}. */
    private final Map<Thread, Boolean> permits = new IdentityHashMap<>();

    private MonitorParker(boolean lossy) {
        this.lossy = lossy;
    }

    /** Installs this parker for every later wait. */
    public static void install() {
        Parker.install(INSTANCE);
    }

    /** Restores the default parker. */
    public static void uninstall() {
        Parker.install(null);
    }

    /** Forgets every permit (call when no thread waits). */
    public void reset() {
        synchronized (monitor) {
            permits.clear();
            parks = 0;
        }
    }

    @Override
    public void park(Object blocker, long nanos) {
        Thread me = Thread.currentThread();
        parks++;
        synchronized (monitor) {
            if (permits.remove(me) != null || me.isInterrupted()) {
                return;
            }
            try {
                if (nanos > 0) {
                    long millis = Math.max(1, nanos / 1_000_000);
                    monitor.wait(millis); // may end by time: the caller re-reads its deadline
                } else {
                    while (permits.get(me) == null) {
                        monitor.wait();
                    }
                }
            } catch (InterruptedException e) {
                me.interrupt(); // LockSupport.park keeps the status; so do we
                return;
            }
            permits.remove(me);
        }
    }

    @Override
    public void unpark(Thread thread) {
        if (lossy) {
            return;
        }
        synchronized (monitor) {
            permits.put(thread, Boolean.TRUE);
            monitor.notifyAll();
        }
    }
}
