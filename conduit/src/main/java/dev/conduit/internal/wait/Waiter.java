package dev.conduit.internal.wait;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's waiting context: the object that other threads select, at most once, to end a wait.
 *
 * <h2>Implementation notes</h2>
 * The design follows crossbeam-channel's {@code Context}: a blocked operation (or a whole
 * select) registers {@link Entry entries} pointing at one waiter in the wait lists of the channels
 * it waits on, then sleeps until some thread <em>selects</em> it. Selecting is a single CAS of
 * {@link #state} from {@link #WAITING} to a final value, so a waiter is selected at most once per
 * wait, whoever tries: a notifier (with the operation id of the entry it found), a disconnecting
 * or closing thread, or the waiter itself (aborting on time-out, interrupt, or a readiness
 * re-check). That one CAS is what makes "exactly one operation completes" true for select.
 *
 * <p>States ({@code int}, written only by CAS except the reset):
 * <pre>
 *   WAITING ──CAS──▶ ABORTED        by the waiter: re-check found it ready, or the deadline passed
 *           ├─CAS──▶ INTERRUPTED    by the waiter: its thread was interrupted
 *           ├─CAS──▶ DISCONNECTED   by the thread that disconnected the channel
 *           ├─CAS──▶ CLOSED         by the thread that closed the handle the wait came through
 *           └─CAS──▶ FIRST_OP + i   by a peer that completes (rendezvous) or frees (queues) operation i
 * </pre>
 *
 * <p>Reuse: each thread keeps one waiter ({@link #prepare()}), reset at the start of each wait.
 * That is safe because every entry is unregistered before the wait returns, and entries are
 * selected only while in a list, under that list's lock; a peer that selected us may still call
 * {@code unpark} on our thread after we returned, which at worst makes a later park return early
 * (every park is in a loop that re-reads the state).
 *
 * <p>Memory ordering: {@link #state} is read and CAS'd with volatile semantics. A peer that hands
 * over a message writes it into the entry before selecting (queues) or publishes it through
 * {@link Entry#ready} (rendezvous), so reading the state with acquire (volatile) semantics sees it.
 */
public final class Waiter {

    /** Not yet selected. */
    public static final int WAITING = 0;
    /** Aborted by its own thread: a re-check found the operation ready, or the deadline passed. */
    public static final int ABORTED = 1;
    /** Aborted by its own thread because the thread was interrupted (the status was cleared). */
    public static final int INTERRUPTED = 2;
    /** Selected because the channel was disconnected. */
    public static final int DISCONNECTED = 3;
    /** Selected because the handle this wait came through was closed. */
    public static final int CLOSED = 4;
    /** Selected for operation {@code i} of a select has state {@code FIRST_OP + i}; single operations use FIRST_OP. */
    public static final int FIRST_OP = 8;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ThreadLocal<Waiter> CURRENT = ThreadLocal.withInitial(Waiter::new);

    /** The thread that waits; the only one that resets the state and parks. */
    final Thread owner = Thread.currentThread();

    /** See the class notes; volatile accesses through {@link #STATE} or plain volatile reads. */
    private volatile int state;

    /**
     * Whether the owner may be parked (or about to park). Written only by the owner (volatile),
     * read by a peer after it selected this waiter, so that a waiter caught while still spinning
     * costs its peer no {@code unpark}. Dekker pairing: the owner writes {@code parked} then reads
     * {@link #state}; the peer CASes {@link #state} then reads {@code parked}; with volatile
     * accesses at least one of them sees the other, so a parked owner is always unparked.
     */
    private volatile boolean parked;

    /**
     * The entry this thread's single blocking operations register (select branches use fresh
     * ones): reused, so that a blocked send or receive allocates nothing. See {@link Entry} for
     * why reuse is safe.
     */
    private final Entry own = new Entry(this, FIRST_OP, null);

    private Waiter() {
    }

    /** This thread's back-off state, reused by each of its waits ({@link Patience#begin()}). */
    final Patience patience = new Patience();

    /** The current thread's waiter, as it is (for its {@link #patience}). */
    static Waiter current() {
        return CURRENT.get();
    }

    /** The current thread's waiter, reset to {@link #WAITING}; no entry of it is in any list. */
    public static Waiter prepare() {
        Waiter w = CURRENT.get();
        // Volatile write: published to peers by the lock that guards the list we register in next.
        w.state = WAITING;
        return w;
    }

    /**
     * This waiter's own entry, reset for one blocking operation through {@code handle}, carrying
     * {@code message} (a blocked rendezvous sender) or none. Valid until that operation returns.
     */
    public Entry entry(Object handle, Object message) {
        own.reset(handle, message);
        return own;
    }

    /** The thread that waits. */
    public Thread owner() {
        return owner;
    }

    /** Selects this waiter with {@code newState}; true if it was still waiting. */
    public boolean trySelect(int newState) {
        return STATE.compareAndSet(this, WAITING, newState);
    }

    /** The state now (volatile read). */
    public int state() {
        return state;
    }

    /** Wakes the owner (after a successful {@link #trySelect}), unless it has not parked yet. */
    public void unpark() {
        if (parked) {
            Parker.current().unpark(owner);
        }
    }

    /** Unparks every non-null waiter in {@code selected} (a {@link WaitList#selectAll} result); null: nobody. */
    public static void unpark(Waiter[] selected) {
        if (selected == null) {
            return;
        }
        for (Waiter w : selected) {
            if (w == null) {
                break;
            }
            w.unpark();
        }
    }

    /**
     * Waits until selected, the deadline passes or the thread is interrupted; returns the final state.
     *
     * <p>Spins and yields first ({@link Backoff}), then parks. On time-out the waiter aborts itself
     * ({@link #ABORTED}); on interrupt it clears the status and aborts itself ({@link #INTERRUPTED}).
     * If a peer selected it first, the peer's state is returned instead, and an interrupt that
     * lost that race is restored so that the caller's next blocking step sees it.
     */
    public int await(long deadline) {
        int s;
        Patience p = patience.reset();
        while ((s = state) == WAITING && p.pause(deadline)) {
            // retry: the state is re-read by the loop condition
        }
        if (s != WAITING) {
            return s;
        }
        Parker parker = Parker.current();
        parked = true; // before the state re-read below: see the field's notes
        try {
            while ((s = state) == WAITING) {
                if (Thread.interrupted()) {
                    if (trySelect(INTERRUPTED)) {
                        return INTERRUPTED;
                    }
                    Thread.currentThread().interrupt();
                    return state;
                }
                long nanos = 0;
                if (deadline != Deadlines.NONE && (nanos = Deadlines.remaining(deadline)) <= 0) {
                    return trySelect(ABORTED) ? ABORTED : state;
                }
                parker.park(this, nanos);
            }
            return s;
        } finally {
            parked = false;
        }
    }
}
