package dev.conduit.internal.flavor;

import dev.conduit.internal.Flavor;
import dev.conduit.internal.Handle;
import dev.conduit.internal.Token;
import dev.conduit.internal.wait.Deadlines;
import dev.conduit.internal.wait.Entry;
import dev.conduit.internal.wait.WaitQueue;
import dev.conduit.internal.wait.Waiter;
import java.time.Instant;

/**
 * What the receive-only flavors ({@link AtFlavor}, {@link TickFlavor}, {@link NeverFlavor})
 * share. They have no sender and never disconnect; their messages are computed from the clock on
 * demand, so no thread runs per timer: a blocked receiver parks until the next firing time (or
 * its own deadline), and a select includes that time in its own park deadline ({@link #readyAt}).
 *
 * <p>The receivers' wait queue is used only so that closing a handle wakes the threads blocked
 * through it; nothing else notifies a timer's waiters, since time itself makes them ready.
 */
abstract class TimerFlavor implements Flavor<Instant> {

    /** Threads blocked in a receive; woken by deadlines, or by closing their handle. */
    final WaitQueue receivers = new WaitQueue();
    /** The wall-clock instant and the nanoTime taken together at creation, to convert firing times. */
    private final Instant originInstant = Instant.now();
    private final long originNanos = System.nanoTime();

    /** The instant of the nanoTime {@code nanos}. */
    final Instant instantAt(long nanos) {
        return originInstant.plusNanos(nanos - originNanos);
    }

    /** The nanoTime at creation. */
    final long origin() {
        return originNanos;
    }

    /** The firing time {@code delayNanos} after creation, or {@link Deadlines#NONE} if too far to matter. */
    final long fromOrigin(long delayNanos) {
        if (Deadlines.after(delayNanos) == Deadlines.NONE) {
            return Deadlines.NONE;
        }
        long t = originNanos + delayNanos;
        return t == Deadlines.NONE ? t + 1 : t;
    }

    @Override
    public final Object recv(long deadline, Handle handle) throws InterruptedException {
        for (;;) {
            Object r = tryRecv();
            if (r != EMPTY || Deadlines.passed(deadline)) {
                return r;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (handle.isClosed()) {
                return HANDLE_CLOSED;
            }
            Waiter w = Waiter.prepare();
            Entry e = receivers.register(w, Waiter.FIRST_OP, handle);
            if (handle.isClosed()) {
                w.trySelect(Waiter.ABORTED);
            }
            int s = w.await(Deadlines.earlier(deadline, readyAt()));
            receivers.unregister(e);
            if (s == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            }
            if (s == Waiter.CLOSED) {
                return HANDLE_CLOSED;
            }
        }
    }

    @Override
    public final int trySend(Instant message) {
        throw new UnsupportedOperationException("a timer channel has no sender");
    }

    @Override
    public final int send(Instant message, long deadline, Handle handle) {
        throw new UnsupportedOperationException("a timer channel has no sender");
    }

    @Override
    public final int startSend(Token token) {
        throw new UnsupportedOperationException("a timer channel has no sender");
    }

    @Override
    public final void write(Token token, Instant message) {
        throw new UnsupportedOperationException("a timer channel has no sender");
    }

    @Override
    public final int startRecv(Token token) {
        Object r = tryRecv();
        if (r == EMPTY) {
            return NOT_READY;
        }
        token.ref = r;
        return SENT;
    }

    @Override
    public final Instant read(Token token) {
        Instant message = (Instant) token.ref;
        token.ref = null;
        return message;
    }

    @Override
    public final Entry register(Waiter waiter, int op, boolean send, Handle handle) {
        return receivers.register(waiter, op, handle);
    }

    @Override
    public final void unregister(Entry entry, boolean send) {
        receivers.unregister(entry);
    }

    @Override
    public final int accept(Token token, Entry entry, boolean send) {
        return startRecv(token); // only a handle close selects a timer's waiter; claim anew
    }

    @Override
    public final boolean isReady(boolean send) {
        return !isEmpty();
    }

    /**
     * A timer turns ready by time alone, so its version must change when it falls due: each timer
     * returns its state word (what a receive changes) with "due now" in the low bit, both taken
     * from one read of that word.
     */
    @Override
    public abstract long observe(boolean send);

    @Override
    public final int size() {
        return isEmpty() ? 0 : 1;
    }

    @Override
    public final boolean isDisconnected() {
        return false;
    }

    @Override
    public final void disconnectSenders() {
        // Timers never disconnect.
    }

    @Override
    public final void disconnectReceivers() {
        // Timers never disconnect, and hold nothing to discard.
    }

    @Override
    public final void wakeHandle(Handle handle) {
        receivers.closeHandle(handle);
    }

    @Override
    public final int waiterCount() {
        return receivers.size();
    }
}
