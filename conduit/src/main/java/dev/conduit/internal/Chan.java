package dev.conduit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One channel: its flavor and its handle counts. The public {@code Sender} and {@code Receiver}
 * handles point here.
 *
 * <h2>Handle counting and disconnection</h2>
 * {@link #senders} and {@link #receivers} count open handles. A count that reached zero stays
 * zero: {@link #acquire} refuses to revive it, so a clone racing with the close of the last
 * handle either wins (the channel stays connected) or fails cleanly. The close that takes a count
 * to zero disconnects that side: the last sender lets receivers drain then see the end; the last
 * receiver makes sends fail and discards the buffer. Each close also wakes the threads blocked
 * through that very handle (they report the closed handle).
 */
public final class Chan<T> {

    private static final VarHandle SENDERS;
    private static final VarHandle RECEIVERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SENDERS = l.findVarHandle(Chan.class, "senders", int.class);
            RECEIVERS = l.findVarHandle(Chan.class, "receivers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The algorithm behind this channel. */
    public final Flavor<T> flavor;
    /** What the channel is, for messages ("bounded(16)", "unbounded", "tick(PT1S)"...). */
    private final String kind;
    /** Open sender handles; CAS only, never revived from 0. */
    private volatile int senders;
    /** Open receiver handles; CAS only, never revived from 0. */
    private volatile int receivers;

    /**
     * A channel with the given handle counts: 1 and 1 for a new channel; a timer starts with one
     * sender that is never closed (the clock), so that it never disconnects.
     */
    public Chan(Flavor<T> flavor, String kind, int senders, int receivers) {
        this.flavor = flavor;
        this.kind = kind;
        this.senders = senders;
        this.receivers = receivers;
    }

    /** Counts one more sender (true) or receiver (false) handle; false if that side is already gone. */
    public boolean acquire(boolean sender) {
        VarHandle count = sender ? SENDERS : RECEIVERS;
        for (;;) {
            int c = (int) count.getVolatile(this);
            if (c == 0) {
                return false;
            }
            if (count.compareAndSet(this, c, c + 1)) {
                return true;
            }
        }
    }

    /** Counts a closed sender (true) or receiver (false) handle; the last one disconnects its side. */
    public void release(boolean sender, Handle handle) {
        VarHandle count = sender ? SENDERS : RECEIVERS;
        if ((int) count.getAndAdd(this, -1) == 1) {
            if (sender) {
                flavor.disconnectSenders();
            } else {
                flavor.disconnectReceivers();
            }
        }
        flavor.wakeHandle(handle);
    }

    /**
     * Whether every sender handle is closed and the flavor has marked the disconnection.
     *
     * <p>The count reaches zero a moment before the flavor's mark is set (steps 1 and 2 of the
     * disconnection order in the package notes). Reporting "gone" only once both hold makes the
     * mark the single linearization point: a thread that saw {@code true} here and then calls
     * {@code tryRecv} on an empty channel is told it is disconnected, never "empty, try later".
     * The count keeps a closed receiver from being told the senders left when it was the
     * receivers' own disconnection that set the mark.
     */
    public boolean sendersGone() {
        return senders == 0 && flavor.isDisconnected();
    }

    /** Whether every receiver handle is closed and the flavor has marked it; see {@link #sendersGone()}. */
    public boolean receiversGone() {
        return receivers == 0 && flavor.isDisconnected();
    }

    @Override
    public String toString() {
        return kind + " channel@" + Integer.toHexString(System.identityHashCode(this));
    }
}
