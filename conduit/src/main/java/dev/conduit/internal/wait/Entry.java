package dev.conduit.internal.wait;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A waiter's registration in one wait list: which waiter, for which operation, through which
 * handle, and (rendezvous only) the slot through which a message is handed over.
 *
 * <h2>Implementation notes</h2>
 * Two kinds of entry:
 * <ul>
 *   <li>the <em>own</em> entry of a waiter ({@link Waiter#entry}), reused by every single blocking
 *       send or receive of its thread, so that a blocked hand-off allocates nothing (crossbeam keeps
 *       the same packet on the blocked thread's stack);</li>
 *   <li>fresh entries ({@link #Entry(Waiter, int, Object)}), one per branch of a waiting select.</li>
 * </ul>
 *
 * <p>The hand-off {@link #stage}, after crossbeam's {@code Packet} ({@code ready} flag):
 * <pre>
 *   EMPTY ──put (writer)──▶ FULL ──take (reader)──▶ TAKEN
 *   (a blocked receiver,    (a blocked sender starts here,
 *    a select send branch)   its message in the entry)
 * </pre>
 * Reuse is safe because no peer touches an entry's hand-off fields once the owner may reuse it:
 * <ul>
 *   <li>a blocked <b>receiver</b> waits in {@link #take()} for {@code FULL}, which is the writer's
 *       last access to the fields ({@link #put} is its last step but the {@code unpark}, which
 *       touches only the waiter);</li>
 *   <li>a blocked <b>sender</b>, once selected, waits in {@link #awaitTaken()} for {@code TAKEN},
 *       which is the reader's last access ({@link #take}); only then does {@code send} return;</li>
 *   <li>an entry that was not selected is unregistered under its list's lock, and peers only
 *       look at entries under that lock, so after the unregister nobody holds it;</li>
 *   <li>a peer that selects an entry <em>unlinks it before</em> the CAS that selects its waiter
 *       ({@link WaitList#selectOther}, {@link WaitList#selectAll}). The order matters: the
 *       instant the CAS succeeds, the owner (perhaps still spinning, never parked) can see its
 *       new state, return, and register its reused entry again, in this very list. Were the
 *       entry still linked at that moment, only the lock the peer still holds would keep the
 *       owner's re-registration from relinking a node the peer is about to unlink (list
 *       corruption). Unlinked first, the entry belongs to the peer alone until it has written
 *       what the owner waits for.</li>
 * </ul>
 * The owner resets the entry ({@link #reset}) before registering it, under the list's lock, so
 * the lock publishes the reset to the peer that finds it.
 *
 * <p>Memory ordering: {@link #packet} is plain, ordered by {@link #stage}: the writer stores the
 * packet then {@code stage = FULL} (release), the reader loads {@code stage} (acquire) then the
 * packet, clears it, then {@code stage = TAKEN} (release), which the blocked sender loads with
 * acquire before it reuses the entry.
 */
public final class Entry {

    /** No message yet: a writer will {@link #put} one. */
    static final int EMPTY = 0;
    /** {@link #packet} holds the message. */
    static final int FULL = 1;
    /** The reader took the message; the writer's entry may be reused. */
    static final int TAKEN = 2;

    private static final VarHandle STAGE;

    static {
        try {
            STAGE = MethodHandles.lookup().findVarHandle(Entry.class, "stage", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The waiting context this entry selects. */
    public final Waiter waiter;
    /** The state a peer CASes into {@link #waiter} when it selects this entry. */
    public final int op;
    /**
     * The handle the wait came through; closing that handle wakes this entry. Plain: written by
     * the owner before the entry is added to a list, read by peers under that list's lock.
     */
    Object handle;

    /** The message handed over (rendezvous only); plain, ordered by {@link #stage}. */
    private Object packet;
    /** {@link #EMPTY}, {@link #FULL} or {@link #TAKEN}; release stores and acquire loads through {@link #STAGE}. */
    private volatile int stage;

    Entry prev;
    Entry next;
    boolean linked;

    /** An entry with no message yet. */
    public Entry(Waiter waiter, int op, Object handle) {
        this.waiter = waiter;
        this.op = op;
        this.handle = handle;
    }

    /**
     * Prepares a reused entry for a new registration: through {@code handle}, carrying
     * {@code message} (a blocked rendezvous sender) or none ({@code null}). Only the owner calls
     * it, and only while the entry is in no list and no peer holds it (see the class notes).
     */
    void reset(Object handle, Object message) {
        this.handle = handle;
        this.packet = message;
        // Plain is enough: the lock of the list the entry is added to next publishes both fields.
        STAGE.set(this, message == null ? EMPTY : FULL);
    }

    /**
     * Lets go of the message and handle of an entry that was unregistered without a hand-off (a
     * rendezvous send that timed out, was interrupted or met a disconnection), so that a thread's
     * reused entry keeps nothing reachable. Only the owner calls it, after the unregister.
     */
    public void clear() {
        handle = null;
        packet = null;
    }

    /** Hands {@code message} over through this entry (the writer side of a rendezvous). */
    public void put(Object message) {
        packet = message;
        STAGE.setRelease(this, FULL); // publishes packet to take()'s acquire
    }

    /**
     * Takes the message handed over through this entry, waiting for the writer if it has selected
     * this entry but not yet written (a select's send branch writes after it wakes up). Tells a
     * blocked writer that its entry is free again ({@code TAKEN}).
     */
    public Object take() {
        for (int step = 0; (int) STAGE.getAcquire(this) != FULL; ) { // pairs with put()/reset()
            step = pause(step);
        }
        Object message = packet;
        packet = null;
        STAGE.setRelease(this, TAKEN); // pairs with awaitTaken()'s acquire
        return message;
    }

    /**
     * Waits until the reader that selected this entry has taken the message: a blocked sender
     * calls it before it returns, so that it never reuses an entry a reader is still reading.
     * The reader selected us and runs, so this is a matter of instructions (or of a yield, if the
     * reader was descheduled).
     */
    public void awaitTaken() {
        for (int step = 0; (int) STAGE.getAcquire(this) != TAKEN; ) { // pairs with take()'s release
            step = pause(step);
        }
    }

    private static int pause(int step) {
        if (Backoff.completed(step)) {
            Thread.yield();
            return step;
        }
        return Backoff.snooze(step);
    }
}
