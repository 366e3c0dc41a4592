package dev.conduit.internal.flavor;

import dev.conduit.internal.wait.Deadlines;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code Channels.tick(d)}: a message every {@code d}, each the instant its tick was due.
 * Capacity 1: ticks missed while one is waiting to be received are not queued.
 *
 * <p>Notes: the ticks lie on a fixed grid {@code origin + k * period}, so a slow receiver never
 * makes them drift. {@link #next} is the first tick not yet delivered. A receive at time
 * {@code now >= next} takes the tick due at {@code next} and moves {@code next} by CAS to the
 * first grid point after {@code now}, dropping the ticks that fell between (the CAS is the
 * linearization point; a receiver that loses it re-reads). A period of zero is ready at every
 * receive and delivers the current instant.
 */
public final class TickFlavor extends TimerFlavor {

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(TickFlavor.class, "next", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long period;
    /** The nanoTime of the first undelivered tick, or {@link Deadlines#NONE} (never). CAS only. */
    private volatile long next;

    /** Ticks every {@code periodNanos} (&gt;= 0), the first one period from now. */
    public TickFlavor(long periodNanos) {
        this.period = periodNanos;
        this.next = fromOrigin(periodNanos);
    }

    @Override
    public Object tryRecv() {
        for (;;) {
            long due = next;
            long now = System.nanoTime();
            if (due == Deadlines.NONE || now - due < 0) {
                return EMPTY;
            }
            if (period == 0) {
                return instantAt(now);
            }
            long missed = (now - due) / period;
            long following = due + (missed + 1) * period; // the first grid point after now
            if (NEXT.compareAndSet(this, due, following)) {
                return instantAt(due);
            }
        }
    }

    @Override
    public long observe(boolean send) {
        long due = next;
        boolean ready = due != Deadlines.NONE && System.nanoTime() - due >= 0;
        return (due << 1) | (ready ? 1 : 0);
    }

    @Override
    public long readyAt() {
        return next;
    }

    @Override
    public int capacity() {
        return 1;
    }

    @Override
    public boolean isEmpty() {
        long due = next;
        return due == Deadlines.NONE || System.nanoTime() - due < 0;
    }

    @Override
    public boolean isFull() {
        return !isEmpty();
    }
}
