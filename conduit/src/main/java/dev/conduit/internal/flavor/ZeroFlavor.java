package dev.conduit.internal.flavor;

import dev.conduit.internal.Flavor;
import dev.conduit.internal.Handle;
import dev.conduit.internal.Token;
import dev.conduit.internal.wait.Deadlines;
import dev.conduit.internal.wait.Entry;
import dev.conduit.internal.wait.SpinLock;
import dev.conduit.internal.wait.WaitList;
import dev.conduit.internal.wait.Waiter;

/**
 * The rendezvous flavor (capacity 0): no buffer; a sender and a receiver meet and the message
 * passes directly from one to the other.
 *
 * <h2>Implementation notes</h2>
 * After crossbeam-channel's {@code flavors/zero.rs}. One {@link SpinLock} guards both wait lists
 * and the disconnected flag, so "look for a waiting peer, else register myself" is atomic: two threads
 * that arrive together cannot both register and miss each other. The lock is never held while
 * anything parks.
 *
 * <p>A send looks for a waiting receiver. If there is one it selects the receiver's waiter (a CAS,
 * the linearization point of both operations), writes the message into the receiver's
 * {@link Entry} and unparks it. If there is none it registers an entry that already carries its
 * message and waits; the receiver that selects it takes the message straight from the entry, and
 * the sender, once selected, returns: its message has been taken. A receive is the mirror image.
 *
 * <p>Select: a select's send branch registers an entry with no message (the message is only
 * handed over if that branch wins); a receiver that selects it waits, spinning then yielding,
 * until the selecting thread wakes and writes the message ({@link Entry#take()}). Entries of the
 * calling thread are skipped when looking for a peer, so a select's send and receive branches on
 * one rendezvous channel never pair with each other.
 *
 * <p>"Anyone waiting?" is answered without the lock by two volatile counts, so {@code trySend}
 * on a channel with no waiting receiver costs one volatile read. Because a register and the
 * lookup of a peer both happen under the lock, that shortcut can only report "nobody" for a
 * peer that registers after our read, which is a correct "not ready now".
 *
 * <p>Spinning: a blocked sender or receiver spins and yields ({@code Waiter.await}) before it
 * parks, which catches a peer that arrives within microseconds without the cost of a park.
 *
 * @param <T> the message type
 */
public final class ZeroFlavor<T> implements Flavor<T> {

    /** {@code Token.pos}: the token's entry is a peer's (wake it after the hand-off). */
    private static final long PEER_ENTRY = 0;
    /** {@code Token.pos}: the token's entry is our own, selected by a peer (nobody to wake). */
    private static final long OWN_ENTRY = 1;

    private final SpinLock lock = new SpinLock();
    /** Blocked senders; guarded by {@link #lock}. */
    private final WaitList senders = new WaitList();
    /** Blocked receivers; guarded by {@link #lock}. */
    private final WaitList receivers = new WaitList();
    /** Written under {@link #lock}; read without it for the fast "anyone waiting?" checks. */
    private volatile int waitingSenders;
    private volatile int waitingReceivers;
    /** Set once, under {@link #lock}. */
    private volatile boolean disconnected;
    /**
     * How many entries were ever added to {@link #senders} ({@link #receivers}): written under
     * {@link #lock}, after the matching {@code waiting...} count, read without it by
     * {@link #observe}. A receive (send) turns ready only when a sender (receiver) registers, or
     * on disconnection, so these counts are the sides' readiness versions.
     */
    private volatile long senderArrivals;
    private volatile long receiverArrivals;

    // ---- direct operations ---------------------------------------------------------------------

    @Override
    public int trySend(T message) {
        if (waitingReceivers == 0) {
            return disconnected ? DISCONNECTED : NOT_READY;
        }
        Entry peer;
        lock.lock();
        try {
            if (disconnected) {
                return DISCONNECTED;
            }
            peer = receivers.selectOther();
            waitingReceivers = receivers.size();
        } finally {
            lock.unlock();
        }
        if (peer == null) {
            return NOT_READY;
        }
        peer.put(message);
        peer.waiter.unpark();
        return SENT;
    }

    @Override
    public int send(T message, long deadline, Handle handle) throws InterruptedException {
        Waiter w = Waiter.prepare();
        Entry mine = null;
        Entry peer = null;
        int early = -1;
        lock.lock();
        if (disconnected) {
            early = DISCONNECTED;
        } else if ((peer = receivers.selectOther()) != null) {
            waitingReceivers = receivers.size();
        } else if (Deadlines.passed(deadline)) {
            early = NOT_READY;
        } else if (handle.isClosed()) {
            early = CLOSED;
        } else {
            mine = w.entry(handle, message); // only now: the entry holds the message until cleared
            addSender(mine);
        }
        lock.unlock();
        if (peer != null) {
            peer.put(message);
            peer.waiter.unpark();
            return SENT;
        }
        if (early >= 0) {
            return early;
        }
        int s = w.await(deadline);
        if (s >= Waiter.FIRST_OP) {
            // A receiver selected us; it takes the message from our entry. Wait until it has, so
            // that our next operation does not reuse the entry under its feet.
            mine.awaitTaken();
            return SENT;
        }
        unregister(mine, true);
        mine.clear(); // the thread keeps its entry: it must not keep the unsent message alive
        switch (s) {
            case Waiter.INTERRUPTED:
                throw new InterruptedException();
            case Waiter.DISCONNECTED:
                return DISCONNECTED;
            case Waiter.CLOSED:
                return CLOSED;
            default:
                return NOT_READY; // timed out
        }
    }

    @Override
    public Object tryRecv() {
        if (waitingSenders == 0) {
            return disconnected ? GONE : EMPTY;
        }
        Entry peer;
        lock.lock();
        try {
            peer = senders.selectOther();
            waitingSenders = senders.size();
            if (peer == null) {
                return disconnected ? GONE : EMPTY;
            }
        } finally {
            lock.unlock();
        }
        return takeFrom(peer);
    }

    @Override
    public Object recv(long deadline, Handle handle) throws InterruptedException {
        Waiter w = Waiter.prepare();
        Entry mine = w.entry(handle, null);
        Entry peer;
        Object early = null;
        lock.lock();
        if ((peer = senders.selectOther()) != null) {
            waitingSenders = senders.size();
        } else if (disconnected) {
            early = GONE;
        } else if (Deadlines.passed(deadline)) {
            early = EMPTY;
        } else if (handle.isClosed()) {
            early = HANDLE_CLOSED;
        } else {
            addReceiver(mine);
        }
        lock.unlock();
        if (peer != null) {
            return takeFrom(peer);
        }
        if (early != null) {
            return early;
        }
        int s = w.await(deadline);
        if (s >= Waiter.FIRST_OP) {
            return mine.take(); // a sender selected us and wrote (or is writing) the message
        }
        unregister(mine, false);
        switch (s) {
            case Waiter.INTERRUPTED:
                throw new InterruptedException();
            case Waiter.DISCONNECTED:
                return GONE;
            case Waiter.CLOSED:
                return HANDLE_CLOSED;
            default:
                return EMPTY; // timed out
        }
    }

    /**
     * Takes the message of a sender we selected. The sender is woken first: a select's send branch
     * writes its message only once it runs again, and {@link Entry#take()} waits for that.
     */
    private Object takeFrom(Entry peer) {
        peer.waiter.unpark();
        return peer.take();
    }

    // ---- select --------------------------------------------------------------------------------

    @Override
    public int startSend(Token token) {
        if (waitingReceivers == 0) {
            return disconnected ? DISCONNECTED : NOT_READY;
        }
        lock.lock();
        try {
            if (disconnected) {
                return DISCONNECTED;
            }
            Entry peer = receivers.selectOther();
            waitingReceivers = receivers.size();
            if (peer == null) {
                return NOT_READY;
            }
            token.ref = peer;
            token.pos = PEER_ENTRY;
            return SENT;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(Token token, T message) {
        Entry entry = (Entry) token.ref;
        token.ref = null;
        entry.put(message);
        if (token.pos != OWN_ENTRY) {
            entry.waiter.unpark();
        }
    }

    @Override
    public int startRecv(Token token) {
        if (waitingSenders == 0) {
            return disconnected ? DISCONNECTED : NOT_READY;
        }
        lock.lock();
        try {
            Entry peer = senders.selectOther();
            waitingSenders = senders.size();
            if (peer == null) {
                return disconnected ? DISCONNECTED : NOT_READY;
            }
            token.ref = peer;
            token.pos = PEER_ENTRY;
            return SENT;
        } finally {
            lock.unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(Token token) {
        Entry entry = (Entry) token.ref;
        token.ref = null;
        return (T) (token.pos == OWN_ENTRY ? entry.take() : takeFrom(entry));
    }

    @Override
    public Entry register(Waiter waiter, int op, boolean send, Handle handle) {
        Entry e = new Entry(waiter, op, handle);
        lock.lock();
        try {
            if (send) {
                addSender(e);
            } else {
                addReceiver(e);
            }
        } finally {
            lock.unlock();
        }
        return e;
    }

    /** Adds a blocked sender's entry; under {@link #lock}. The count first, then the version. */
    private void addSender(Entry e) {
        senders.add(e);
        waitingSenders = senders.size();
        senderArrivals = senderArrivals + 1; // single writer: the lock holder
    }

    /** Adds a blocked receiver's entry; under {@link #lock}. */
    private void addReceiver(Entry e) {
        receivers.add(e);
        waitingReceivers = receivers.size();
        receiverArrivals = receiverArrivals + 1;
    }

    @Override
    public void unregister(Entry entry, boolean send) {
        lock.lock();
        try {
            if (send) {
                senders.remove(entry);
                waitingSenders = senders.size();
            } else {
                receivers.remove(entry);
                waitingReceivers = receivers.size();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The other side's arrival count, with the disconnected flag in the low bit. Read in that
     * order: a peer that registered before our read of its arrival count had already published
     * its {@code waiting...} count, which the try that follows reads.
     */
    @Override
    public long observe(boolean send) {
        long arrivals = send ? receiverArrivals : senderArrivals;
        return (arrivals << 1) | (disconnected ? 1 : 0);
    }

    @Override
    public boolean isReady(boolean send) {
        lock.lock();
        try {
            return disconnected || (send ? receivers.hasOther() : senders.hasOther());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The peer already paired with us through our own {@code entry}: a send branch then writes its
     * message into it (the receiver waits for it in {@link Entry#take()}), a receive branch takes
     * what the sender wrote. {@code token.pos == OWN_ENTRY} tells write/read not to wake anyone.
     */
    @Override
    public int accept(Token token, Entry entry, boolean send) {
        token.ref = entry;
        token.pos = OWN_ENTRY;
        return SENT;
    }

    @Override
    public long readyAt() {
        return Deadlines.NONE;
    }

    // ---- state ---------------------------------------------------------------------------------

    @Override
    public int size() {
        return 0;
    }

    @Override
    public int capacity() {
        return 0;
    }

    @Override
    public boolean isEmpty() {
        return true;
    }

    @Override
    public boolean isFull() {
        return true;
    }

    @Override
    public boolean isDisconnected() {
        return disconnected;
    }

    @Override
    public void disconnectSenders() {
        disconnect();
    }

    @Override
    public void disconnectReceivers() {
        disconnect();
    }

    private void disconnect() {
        Waiter[] blockedSenders = null;
        Waiter[] blockedReceivers = null;
        lock.lock();
        try {
            if (!disconnected) {
                disconnected = true;
                blockedSenders = senders.selectAll(Waiter.DISCONNECTED, null);
                blockedReceivers = receivers.selectAll(Waiter.DISCONNECTED, null);
                waitingSenders = 0;
                waitingReceivers = 0;
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock: N wake-ups must not hold up every other operation (WaitList.selectAll).
        Waiter.unpark(blockedSenders);
        Waiter.unpark(blockedReceivers);
    }

    @Override
    public void wakeHandle(Handle handle) {
        // Always under the lock, never behind the lock-free "anyone waiting?" counts: a waiter
        // reads handle.isClosed() under the lock *before* it registers and bumps the counts, so
        // a closer that marked the handle and then read counts of zero could miss a waiter that
        // had just checked the handle (found by HandleCloseRaceStressTest). Under the lock, the
        // waiter either registered before we look (we wake it) or checks after the mark (it
        // returns CLOSED). Closing a handle is rare; the lock costs nothing that matters.
        Waiter[] blockedSenders;
        Waiter[] blockedReceivers;
        lock.lock();
        try {
            blockedSenders = senders.selectAll(Waiter.CLOSED, handle);
            blockedReceivers = receivers.selectAll(Waiter.CLOSED, handle);
            waitingSenders = senders.size();
            waitingReceivers = receivers.size();
        } finally {
            lock.unlock();
        }
        Waiter.unpark(blockedSenders);
        Waiter.unpark(blockedReceivers);
    }

    @Override
    public int waiterCount() {
        lock.lock();
        try {
            return senders.size() + receivers.size();
        } finally {
            lock.unlock();
        }
    }
}
