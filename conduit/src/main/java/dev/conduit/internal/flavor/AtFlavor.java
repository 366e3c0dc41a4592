package dev.conduit.internal.flavor;

import dev.conduit.internal.wait.Deadlines;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code Channels.after(d)}: delivers one message, the instant it was due, once {@code d} has
 * passed; then stays empty for ever. Capacity 1.
 *
 * <p>Notes: the single delivery is decided by one CAS of {@link #delivered} (the linearization
 * point of the receive that gets it); receivers that lose it see an empty channel. No thread and
 * no scheduler task exist for the timer: receivers compare the clock with {@link #fireAt}.
 */
public final class AtFlavor extends TimerFlavor {

    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(AtFlavor.class, "delivered", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** When the message is due (nanoTime), or {@link Deadlines#NONE} for a delay too long to matter. */
    private final long fireAt;
    /** Set once, by the receive that takes the message (CAS). */
    private volatile boolean delivered;

    /** A timer that fires {@code delayNanos} (&gt;= 0) from now. */
    public AtFlavor(long delayNanos) {
        this.fireAt = fromOrigin(delayNanos);
    }

    private boolean due() {
        return fireAt != Deadlines.NONE && System.nanoTime() - fireAt >= 0;
    }

    @Override
    public Object tryRecv() {
        if (!delivered && due() && DELIVERED.compareAndSet(this, false, true)) {
            return instantAt(fireAt);
        }
        return EMPTY;
    }

    @Override
    public long observe(boolean send) {
        boolean d = delivered;
        return d ? 2 : due() ? 1 : 0;
    }

    @Override
    public long readyAt() {
        return delivered ? Deadlines.NONE : fireAt;
    }

    @Override
    public int capacity() {
        return 1;
    }

    @Override
    public boolean isEmpty() {
        return delivered || !due();
    }

    @Override
    public boolean isFull() {
        return !isEmpty();
    }
}
