package dev.conduit.internal.select;

import dev.conduit.internal.Flavor;
import dev.conduit.internal.Handle;
import dev.conduit.internal.Token;
import dev.conduit.internal.wait.Deadlines;
import dev.conduit.internal.wait.Entry;
import dev.conduit.internal.wait.Waiter;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The engine of {@code Select}: waits on several operations, over any mix of flavors, and
 * completes exactly one.
 *
 * <h2>Implementation notes</h2>
 * After crossbeam-channel's {@code run_select}, on the same waiting protocol as the flavors'
 * own blocking operations (there is no second mechanism to keep consistent):
 * <ol>
 *   <li><b>Try</b> every branch, in a fresh uniformly random order (Fisher-Yates), with the
 *       flavor's two-phase {@code startSend}/{@code startRecv}, reading each branch's readiness
 *       version ({@code Flavor.observe}) just before its try. The first that claims an
 *       operation, or reports disconnection, is the result; claimed operations are completed at
 *       once ({@code write}/{@code read}). A claim is only made by the branch that wins, so no
 *       other branch takes or sends anything.</li>
 *   <li><b>Confirm</b> "nothing ready" before ever returning it (below).</li>
 *   <li><b>Register</b> one {@link Waiter} with every branch's flavor, <em>in the order of that
 *       shuffle</em>, each entry carrying its branch's operation id ({@code FIRST_OP + i}), then
 *       <b>re-check</b> readiness of every branch; if one became ready the waiter aborts itself,
 *       which closes the window between the try and the registration (no lost wake-up, as in
 *       {@code WaitQueue}).</li>
 *   <li><b>Park</b> until selected ({@link Waiter#await}), with the earliest of the caller's
 *       deadline and any timer branch's firing time as the park deadline.</li>
 *   <li><b>Unregister</b> every entry, then act on the state: selected for branch {@code i},
 *       let that flavor {@code accept}: a rendezvous peer already paired with us and the
 *       operation completes; a buffered flavor only signalled "try again", and the claim may
 *       fail if another thread was faster, in which case we loop. Aborted or disconnected: loop
 *       (the try step sees a disconnected branch as ready).</li>
 * </ol>
 *
 * <h3>Why "nothing was ready" is true when we say it</h3>
 * A select that returns empty ({@code trySelect}, or a deadline that passed) claims that there
 * was a moment, during the call, at which no branch was ready. One pass of tries cannot show
 * that: it looks at the branches one after the other, so it can see branch 2 empty before a
 * message arrives there and branch 1 empty after its message left, although one of the two held
 * a message all along. So an empty pass is followed by a second <em>collect</em>: each branch's
 * version is read again, and only if every one is unchanged is "nothing ready" returned;
 * otherwise the select tries again. The argument: let {@code v_i} be read at {@code a_i}, the
 * try of branch {@code i} fail at {@code b_i > a_i}, and the second read at {@code c_i} return
 * {@code v_i} again. A version changes whenever something happens that could turn the branch
 * from not ready into ready ({@code Flavor.observe}'s contract), so branch {@code i} was not
 * ready throughout {@code [b_i, c_i]}. Every try precedes every second read, so the latest
 * {@code b_i} comes before the earliest {@code c_i}, and at that instant no branch was ready:
 * that instant is where the empty result linearizes. Cost of the proof when nothing is ready:
 * one or two volatile reads per branch; no lock, no registration.
 *
 * <p>crossbeam instead registers on every branch and tries again; the registration there serves
 * to be told of a change. That does not make the answer exact here: a notifier makes its change
 * visible (its CAS) before it reads the wait list, so a message can sit in a channel, taken by
 * nobody, while its sender's notification has not yet reached our waiter, and the second try can
 * have looked before the message arrived. The version is part of the state the change writes, so
 * nothing lags behind it. (docs/adr/0007-select-linearizable-empty.md)
 *
 * <h3>Fair choice among branches on one channel</h3>
 * The try step is uniform by the shuffle. Once the select waits, the branch that completes is
 * decided by whoever finds our entries: a rendezvous peer pairs with the oldest waiting entry it
 * finds, a buffered flavor's notifier selects the oldest one. Registering in the shuffled order
 * makes "the oldest of our entries on that channel" a uniformly random one of our branches there,
 * so the choice stays uniform whichever side arrives first (a fixed order made branch 0 win
 * about 95% of rendezvous pairings).
 *
 * <p>Exactly one operation: a waiter is selected at most once (one CAS), and the only operation
 * performed is that of the branch that won the try step or the selection. A rendezvous send and
 * receive in one select never pair because a flavor never selects an entry of the calling thread.
 *
 * <p>Interrupts: an interrupt that loses the race with a rendezvous peer's selection is kept as
 * the thread's status and the operation completes (the peer already committed); otherwise the
 * select throws {@link InterruptedException} and completes nothing.
 *
 * <p>Not thread-safe: a select is used by one thread at a time. The per-branch tokens and the
 * order array are reused across calls, so a select that completes at once allocates nothing.
 */
public final class Selector {

    /** {@link #select} result: no branch completed (the deadline passed, or trySelect found none ready). */
    public static final int NONE = -1;
    /** {@link #select} result: a closed handle woke the select. */
    public static final int CLOSED = -2;

    private Flavor<Object>[] flavors = newFlavors(4);
    private boolean[] sends = new boolean[4];
    private Handle[] handles = new Handle[4];
    private Object[] messages = new Object[4];
    private Token[] tokens = new Token[4];
    private Entry[] entries = new Entry[4];
    private int[] order = new int[4];
    /** Each branch's readiness version, read by the last {@link #tryAll}. */
    private long[] versions = new long[4];
    private int size;

    /** What the last {@link #select} received, when it completed a receive branch. */
    private Object received;

    @SuppressWarnings("unchecked")
    private static Flavor<Object>[] newFlavors(int n) {
        return (Flavor<Object>[]) new Flavor<?>[n];
    }

    /** Adds a branch; returns its index. A send branch carries its {@code message}. */
    @SuppressWarnings("unchecked")
    public int add(Flavor<?> flavor, boolean send, Handle handle, Object message) {
        if (size == flavors.length) {
            int n = size * 2;
            flavors = Arrays.copyOf(flavors, n);
            sends = Arrays.copyOf(sends, n);
            handles = Arrays.copyOf(handles, n);
            messages = Arrays.copyOf(messages, n);
            tokens = Arrays.copyOf(tokens, n);
            entries = Arrays.copyOf(entries, n);
            order = Arrays.copyOf(order, n);
            versions = Arrays.copyOf(versions, n);
        }
        flavors[size] = (Flavor<Object>) flavor;
        sends[size] = send;
        handles[size] = handle;
        messages[size] = message;
        tokens[size] = new Token();
        return size++;
    }

    /** How many branches there are. */
    public int size() {
        return size;
    }

    /**
     * Completes one branch. Returns {@code 2 * i} if branch {@code i} completed its operation (for a
     * receive, {@link #takeReceived()} gives the message), {@code 2 * i + 1} if branch {@code i} was
     * chosen because its channel is disconnected, {@link #NONE} if {@code block} is false and no
     * branch is ready or the {@code deadline} passed, {@link #CLOSED} if a branch's handle was
     * closed while waiting.
     *
     * @throws InterruptedException if interrupted while waiting; no branch completed
     */
    public int select(boolean block, long deadline) throws InterruptedException {
        for (;;) {
            int r = tryAll();
            if (r != NONE) {
                return r;
            }
            if (!block || Deadlines.passed(deadline)) {
                if (unchanged()) {
                    return NONE;
                }
                continue; // something may have become ready while we looked: look again
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            // A closed branch handle ends the select. Checked on every round, not only through
            // the waiter's CLOSED state: a re-check below that sees the closed handle aborts the
            // wait itself (ABORTED), and the next round must then report it rather than register
            // and abort again for ever (found by HandleCloseRaceStressTest).
            for (int i = 0; i < size; i++) {
                if (handles[i].isClosed()) {
                    return CLOSED;
                }
            }
            Waiter w = Waiter.prepare();
            long parkUntil = deadline;
            for (int k = 0; k < size; k++) {
                int i = order[k]; // the try's shuffle: see "Fair choice" in the notes
                entries[i] = flavors[i].register(w, Waiter.FIRST_OP + i, sends[i], handles[i]);
                parkUntil = Deadlines.earlier(parkUntil, flavors[i].readyAt());
            }
            for (int i = 0; i < size; i++) {
                if (flavors[i].isReady(sends[i]) || handles[i].isClosed()) {
                    w.trySelect(Waiter.ABORTED);
                    break;
                }
            }
            int s = w.await(parkUntil);
            Entry selected = s >= Waiter.FIRST_OP ? entries[s - Waiter.FIRST_OP] : null;
            for (int i = 0; i < size; i++) {
                flavors[i].unregister(entries[i], sends[i]);
                entries[i] = null;
            }
            if (selected != null) {
                int i = s - Waiter.FIRST_OP;
                int claim = flavors[i].accept(tokens[i], selected, sends[i]);
                if (claim != Flavor.NOT_READY) {
                    return complete(i, claim);
                }
            } else if (s == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            } else if (s == Waiter.CLOSED) {
                return CLOSED;
            }
        }
    }

    private int tryAll() {
        int n = size;
        int[] ord = order;
        for (int i = 0; i < n; i++) {
            ord[i] = i;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = ord[i];
            ord[i] = ord[j];
            ord[j] = t;
        }
        for (int k = 0; k < n; k++) {
            int i = ord[k];
            Flavor<Object> f = flavors[i];
            versions[i] = f.observe(sends[i]); // before the try: see the notes
            int claim = sends[i] ? f.startSend(tokens[i]) : f.startRecv(tokens[i]);
            if (claim != Flavor.NOT_READY) {
                return complete(i, claim);
            }
        }
        return NONE;
    }

    /** The second collect: whether every branch's version is what the last {@link #tryAll} read. */
    private boolean unchanged() {
        for (int i = 0; i < size; i++) {
            if (flavors[i].observe(sends[i]) != versions[i]) {
                return false;
            }
        }
        return true;
    }

    private int complete(int i, int claim) {
        if (claim == Flavor.DISCONNECTED) {
            return 2 * i + 1;
        }
        if (sends[i]) {
            flavors[i].write(tokens[i], messages[i]);
        } else {
            received = flavors[i].read(tokens[i]);
        }
        return 2 * i;
    }

    /** The message of the receive branch that completed last; cleared by this call. */
    public Object takeReceived() {
        Object m = received;
        received = null;
        return m;
    }

    /** The message of send branch {@code i}. */
    public Object message(int i) {
        return messages[i];
    }
}
