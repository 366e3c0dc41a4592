package dev.conduit.internal.wait;

/**
 * The back-off of one wait for a peer's <em>next</em> operation: spin, then yield until the
 * patience is spent, then tell the caller to park. One per thread, owned by its {@link Waiter} and
 * reused by every wait of that thread, so that backing off allocates nothing.
 *
 * <p>States, each with its own representation (an earlier version packed them into one
 * {@code long} beside the deadline, where a real instant of 0 would have read as "not started"):
 * <pre>
 *   spinning (step &lt;= SPIN_LIMIT) ──▶ yielding (timing, until end) ──▶ spent (pause() false)
 * </pre>
 * The clock is read only when the spin is over, so a wait that ends while spinning never reads it.
 * The patience is {@link Backoff#PATIENCE_NANOS} ({@link Backoff#VIRTUAL_PATIENCE_NANOS} on a
 * virtual thread) after the spin, or the caller's deadline if sooner, and at most
 * {@link Backoff#PATIENCE_STEPS} steps whatever the clock says.
 *
 * <p>Not thread-safe: only its owner thread uses it.
 */
public final class Patience {

    private int step;
    /** Whether the spin is over and {@link #end} is set. */
    private boolean timing;
    /** When the yielding ends (nanoTime); meaningful only while {@link #timing}. */
    private long end;

    Patience() {
    }

    /** The current thread's patience, reset for a new wait. */
    public static Patience begin() {
        return Waiter.current().patience.reset();
    }

    Patience reset() {
        step = 0;
        timing = false;
        return this;
    }

    /**
     * One back-off step, between two retries of the caller; {@code deadline} is the caller's
     * ({@link Deadlines#NONE}: none). Returns true to retry, false once the patience is spent
     * and the caller should register and park.
     */
    public boolean pause(long deadline) {
        int s = step;
        if (s <= Backoff.SPIN_LIMIT) {
            Backoff.spinHints(s);
            step = s + 1;
            return true;
        }
        long now = System.nanoTime();
        if (!timing) {
            long e = now + (Backoff.isVirtual(Thread.currentThread())
                    ? Backoff.VIRTUAL_PATIENCE_NANOS : Backoff.PATIENCE_NANOS);
            end = deadline != Deadlines.NONE && deadline - e < 0 ? deadline : e;
            timing = true;
        } else if (s > Backoff.PATIENCE_STEPS || now - end >= 0) {
            return false;
        }
        Thread.yield();
        step = s + 1;
        return true;
    }
}
