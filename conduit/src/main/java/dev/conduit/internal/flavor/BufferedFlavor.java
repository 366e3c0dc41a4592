package dev.conduit.internal.flavor;

import dev.conduit.internal.Flavor;
import dev.conduit.internal.Handle;
import dev.conduit.internal.Token;
import dev.conduit.internal.wait.Backoff;
import dev.conduit.internal.wait.Patience;
import dev.conduit.internal.wait.Deadlines;
import dev.conduit.internal.wait.Entry;
import dev.conduit.internal.wait.WaitQueue;
import dev.conduit.internal.wait.Waiter;

/**
 * What the buffered flavors ({@link ArrayFlavor}, {@link ListFlavor}) share: their blocking
 * operations and their part of select, both built on "try; back off; register; re-check; park".
 *
 * <h2>Implementation notes</h2>
 * A buffered flavor's wake-up hands nothing over: it only tells one waiter that the operation it
 * waits for may now succeed ({@link WaitQueue#notifyOne()} after every successful send or
 * receive). The woken thread tries again; if another thread took the slot or message first, that
 * thread's own success notifies in turn, so the retry may fail without any wake-up being lost.
 * Because of this, an interrupt or time-out that loses the race with a notification costs nothing:
 * the thread retries once and then reports the interrupt or time-out.
 *
 * <p>Blocking, step by step (send; receive is symmetric):
 * <ol>
 *   <li>try the operation; back off ({@link Backoff}) and retry while the back-off lasts (when
 *       a cheap probe says the retry may succeed: see {@link #FULL_RETRY_EVERY});</li>
 *   <li>give up if the deadline passed, the thread is interrupted or the handle closed;</li>
 *   <li>register in the senders' wait queue, then re-check {@link #isReady}: if the channel has
 *       room (or is disconnected) abort our own wait, so that no notification can be missed
 *       (see {@link WaitQueue} for the handshake);</li>
 *   <li>{@link Waiter#await await}, unregister, and loop.</li>
 * </ol>
 *
 * @param <T> the message type
 */
abstract class BufferedFlavor<T> implements Flavor<T> {

    /**
     * While backing off, a blocked operation retries in full (which may read the other side's
     * counter) only when the probe ({@link #mayHaveRoom}, {@link #mayHaveMessage}) says it may
     * succeed, and at least once per this many steps (a power of two), so that it also notices a
     * disconnection, which the probes do not look for, within a few microseconds.
     */
    static final int FULL_RETRY_EVERY = 8;

    /** Senders blocked because the channel was full. */
    final WaitQueue senders = new WaitQueue();
    /** Receivers blocked because the channel was empty. */
    final WaitQueue receivers = new WaitQueue();

    @Override
    public final int send(T message, long deadline, Handle handle) throws InterruptedException {
        for (;;) {
            int r = mayHaveRoom() ? trySend(message) : NOT_READY;
            Patience patience = Patience.begin();
            for (int step = 0; r == NOT_READY && patience.pause(deadline); step++) {
                if (mayHaveRoom() || (step & (FULL_RETRY_EVERY - 1)) == FULL_RETRY_EVERY - 1) {
                    r = trySend(message);
                }
            }
            if (r != NOT_READY || Deadlines.passed(deadline)) {
                return r;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (handle.isClosed()) {
                return CLOSED;
            }
            Waiter w = Waiter.prepare();
            Entry e = senders.register(w.entry(handle, null));
            if (isReady(true) || handle.isClosed()) {
                w.trySelect(Waiter.ABORTED);
            }
            int s = w.await(deadline);
            senders.unregister(e);
            if (s == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            }
            if (s == Waiter.CLOSED) {
                return CLOSED;
            }
        }
    }

    @Override
    public final Object recv(long deadline, Handle handle) throws InterruptedException {
        for (;;) {
            Object r = mayHaveMessage() ? tryRecv() : EMPTY;
            Patience patience = Patience.begin();
            for (int step = 0; r == EMPTY && patience.pause(deadline); step++) {
                if (mayHaveMessage() || (step & (FULL_RETRY_EVERY - 1)) == FULL_RETRY_EVERY - 1) {
                    r = tryRecv();
                }
            }
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
            Entry e = receivers.register(w.entry(handle, null));
            if (isReady(false) || handle.isClosed()) {
                w.trySelect(Waiter.ABORTED);
            }
            int s = w.await(deadline);
            receivers.unregister(e);
            if (s == Waiter.INTERRUPTED) {
                throw new InterruptedException();
            }
            if (s == Waiter.CLOSED) {
                return HANDLE_CLOSED;
            }
        }
    }

    /**
     * A cheap hint, for a sender backing off, that a retry may find room: true unless the flavor
     * can tell, without touching the receivers' side, that the channel is still full. A false
     * "true" costs a retry; a false "false" only delays the retry to the next full one.
     */
    boolean mayHaveRoom() {
        return true;
    }

    /** The receiving side's {@link #mayHaveRoom}: false only if the channel is surely still empty. */
    boolean mayHaveMessage() {
        return true;
    }

    @Override
    public final void wakeHandle(Handle handle) {
        senders.closeHandle(handle);
        receivers.closeHandle(handle);
    }

    @Override
    public final int waiterCount() {
        return senders.size() + receivers.size();
    }

    @Override
    public final Entry register(Waiter waiter, int op, boolean send, Handle handle) {
        return (send ? senders : receivers).register(waiter, op, handle);
    }

    @Override
    public final void unregister(Entry entry, boolean send) {
        (send ? senders : receivers).unregister(entry);
    }

    @Override
    public final int accept(Token token, Entry entry, boolean send) {
        // A buffered wake-up hands nothing over: claim the operation anew.
        return send ? startSend(token) : startRecv(token);
    }

    @Override
    public final long readyAt() {
        return Deadlines.NONE;
    }

    /** Wakes everyone: used once, by the disconnecting thread. */
    final void wakeAll() {
        senders.disconnect();
        receivers.disconnect();
    }
}
