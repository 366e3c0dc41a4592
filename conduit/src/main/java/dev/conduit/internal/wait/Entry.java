package dev.conduit.internal.wait;

/**
 * A waiter's registration in one wait list: which waiter, for which operation, through which
 * handle, and (rendezvous only) the slot through which a message is handed over.
 *
 * <p>One entry serves one registration: it is never reused, so a peer still holding it after the
 * wait ended cannot disturb a later wait. {@link #prev}, {@link #next} and {@link #linked} belong
 * to the list and are guarded by its lock.
 */
public final class Entry {

    /** The waiting context this entry selects. */
    public final Waiter waiter;
    /** The state a peer CASes into {@link #waiter} when it selects this entry. */
    public final int op;
    /** The handle the wait came through; closing that handle wakes this entry. */
    final Object handle;

    /**
     * The message handed over (rendezvous only). A sender that registers with its message writes
     * it before the entry is published under the list's lock; otherwise the peer writes it and then
     * sets {@link #ready} (release), which the reader reads with acquire before reading this field.
     */
    private Object packet;
    /** Whether {@link #packet} holds the message; volatile, the publication flag of the hand-off. */
    private volatile boolean ready;

    Entry prev;
    Entry next;
    boolean linked;

    /** An entry with no message yet. */
    public Entry(Waiter waiter, int op, Object handle) {
        this.waiter = waiter;
        this.op = op;
        this.handle = handle;
    }

    /** An entry that carries {@code message} from the start (a blocked rendezvous sender). */
    public Entry(Waiter waiter, int op, Object handle, Object message) {
        this(waiter, op, handle);
        this.packet = message;
        this.ready = true;
    }

    /** Hands {@code message} over through this entry (the writer side of a rendezvous). */
    public void put(Object message) {
        packet = message;
        ready = true; // release: publishes packet to the reader's volatile read of ready
    }

    /**
     * Takes the message handed over through this entry, waiting for the writer if it has selected
     * this entry but not yet written (a select's send branch writes after it wakes up).
     */
    public Object take() {
        for (int step = 0; !ready; ) { // acquire: pairs with the release in put()
            if (Backoff.completed(step)) {
                Thread.yield();
            } else {
                step = Backoff.snooze(step);
            }
        }
        Object message = packet;
        packet = null;
        return message;
    }
}
