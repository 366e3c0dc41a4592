package dev.conduit.internal;

/**
 * What a flavor remembers between starting an operation and completing it (select's two-phase
 * protocol): the claimed position for buffered flavors, the hand-off entry for rendezvous, the
 * delivered instant for timers. One token per select branch, reused across calls.
 */
public final class Token {
    /** A position (array: the claimed head or tail value; list: the offset in {@link #ref}). */
    public long pos;
    /** A reference (list: the block; rendezvous: the entry; timers: the message). */
    public Object ref;

    /** Forgets what the last operation left here, so that it can be collected. */
    public void clear() {
        ref = null;
    }
}
