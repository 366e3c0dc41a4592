package dev.conduit.internal;

import dev.conduit.internal.wait.Entry;
import dev.conduit.internal.wait.Waiter;

/**
 * The contract every channel flavor implements: the direct operations the handles call, and the
 * two-phase operations select builds on (crossbeam's {@code SelectHandle}).
 *
 * <h2>Outcomes</h2>
 * Internals return codes and sentinels, never public exceptions (the API layer turns them into
 * exceptions). Send forms return {@link #SENT}, {@link #NOT_READY} (full, no receiver, or timed
 * out), {@link #DISCONNECTED} or {@link #CLOSED} (the handle was closed while waiting). Receive
 * forms return the message, or one of the sentinels {@link #EMPTY} (nothing ready, or timed out),
 * {@link #GONE} (empty and disconnected) or {@link #HANDLE_CLOSED}.
 *
 * <h2>Select protocol</h2>
 * {@code startSend}/{@code startRecv} try to claim an operation without blocking and say
 * {@link #SENT READY}, {@link #NOT_READY} or {@link #DISCONNECTED}; a claimed operation must then
 * be completed with {@code write}/{@code read} on the same token, at once and without failing.
 * To wait, select {@code register}s one waiter on every branch, re-checks {@code isReady}, parks,
 * then {@code unregister}s everywhere. When a flavor selects the waiter for a branch,
 * {@code accept} finishes that branch's operation (rendezvous: the peer already paired with it) or
 * claims it anew (buffered: the wake-up only says "try again"), with the same result codes.
 */
public interface Flavor<T> {

    /** Send outcome: sent. Also {@code READY} for {@code startSend}/{@code startRecv}/{@code accept}. */
    int SENT = 0;
    /** Send outcome: not possible now (full, no receiver waiting, or the time ran out). */
    int NOT_READY = 1;
    /** Outcome: the other side is gone. */
    int DISCONNECTED = 2;
    /** Outcome: the handle this operation came through was closed while it waited. */
    int CLOSED = 3;

    /** Receive sentinel: nothing to receive now (or the time ran out). */
    Object EMPTY = new Sentinel("EMPTY");
    /** Receive sentinel: empty and every sender is gone. */
    Object GONE = new Sentinel("GONE");
    /** Receive sentinel: the handle this receive came through was closed while it waited. */
    Object HANDLE_CLOSED = new Sentinel("HANDLE_CLOSED");

    // ---- direct operations -------------------------------------------------------------------

    /** Sends without blocking: {@link #SENT}, {@link #NOT_READY} or {@link #DISCONNECTED}. */
    int trySend(T message);

    /**
     * Sends, blocking until {@code deadline} ({@link dev.conduit.internal.wait.Deadlines}) at most.
     *
     * @throws InterruptedException if interrupted while blocked; the message was not sent
     */
    int send(T message, long deadline, Handle handle) throws InterruptedException;

    /** Receives without blocking: a message, {@link #EMPTY} or {@link #GONE}. */
    Object tryRecv();

    /**
     * Receives, blocking until {@code deadline} at most: a message, {@link #EMPTY} on time-out,
     * {@link #GONE} or {@link #HANDLE_CLOSED}.
     *
     * @throws InterruptedException if interrupted while blocked; no message was consumed
     */
    Object recv(long deadline, Handle handle) throws InterruptedException;

    // ---- state -------------------------------------------------------------------------------

    /** Messages buffered now. */
    int size();

    /** The capacity, or -1 if unbounded. */
    int capacity();

    /** Whether no message is buffered. */
    boolean isEmpty();

    /** Whether no message could be buffered now. */
    boolean isFull();

    /** The last sender is gone: wake receivers (they drain, then see the end). */
    void disconnectSenders();

    /** The last receiver is gone: wake senders and discard what is buffered. */
    void disconnectReceivers();

    /** Whether the channel is disconnected (either side gone, for buffered flavors). */
    boolean isDisconnected();

    /** Wakes every thread blocked through {@code handle}, which was just closed. */
    void wakeHandle(Handle handle);

    /** How many waiter entries are registered (both sides); a test hook for leak checks. */
    int waiterCount();

    // ---- select ------------------------------------------------------------------------------

    /** Claims a send: {@link #SENT} (then {@link #write}), {@link #NOT_READY} or {@link #DISCONNECTED}. */
    int startSend(Token token);

    /** Completes a claimed send. */
    void write(Token token, T message);

    /** Claims a receive: {@link #SENT} (then {@link #read}), {@link #NOT_READY} or {@link #DISCONNECTED}. */
    int startRecv(Token token);

    /** Completes a claimed receive. */
    T read(Token token);

    /** Registers {@code waiter} for operation {@code op}; the returned entry is given back to {@link #unregister}. */
    Entry register(Waiter waiter, int op, boolean send, Handle handle);

    /** Removes an entry that {@link #register} returned, unless a peer already removed it. */
    void unregister(Entry entry, boolean send);

    /** Whether a send (or receive) would now complete or report disconnection. */
    boolean isReady(boolean send);

    /**
     * A version of this side's readiness, for a select that must prove "nothing was ready" (see
     * the select notes in {@code Selector}): two calls return the same value only if nothing that
     * could turn a not-ready send (or receive) into a ready one happened between them. Buffered
     * flavors return the position the other side moves (and the disconnect mark), the rendezvous
     * flavor a count of the peers that ever registered, timers a value that changes when they fall
     * due. A value may also change for other reasons; that only costs the select another look.
     * Never blocks, never locks; one or two volatile reads.
     */
    long observe(boolean send);

    /**
     * After this flavor selected the waiter through {@code entry}: finishes (rendezvous) or claims
     * anew (buffered) the operation. Same codes as {@link #startSend}/{@link #startRecv}.
     */
    int accept(Token token, Entry entry, boolean send);

    /** A deadline at which a receive becomes ready by itself (timers), or {@code Deadlines.NONE}. */
    long readyAt();

    /** A sentinel value that can never be a message (messages are never null and never of this type). */
    final class Sentinel {
        private final String name;

        Sentinel(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
