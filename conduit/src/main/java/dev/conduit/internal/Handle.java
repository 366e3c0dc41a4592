package dev.conduit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The open/closed state of one public handle (a {@code Sender} or {@code Receiver}). Flavors see
 * it so that a thread blocked through a handle that another thread closes can be woken and told.
 */
public final class Handle {

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Handle.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set once, by CAS, by the first close; read volatile by operations and by waiters after registering. */
    private volatile boolean closed;

    /** Whether the handle was closed. */
    public boolean isClosed() {
        return closed;
    }

    /** Marks the handle closed; true only for the first call. */
    public boolean markClosed() {
        return CLOSED.compareAndSet(this, false, true);
    }
}
