package dev.conduit.internal.wait;



/**
 * A {@link WaitList} with its own lock and a lock-free "anyone waiting?" flag: the wait list of
 * one side (senders or receivers) of a buffered channel.
 *
 * <h2>Implementation notes</h2>
 * The fast path of a channel operation calls {@link #notifyOne()} after it changed the channel,
 * and that costs one volatile read of {@link #empty} when nobody waits: no lock, no unpark.
 *
 * <p>Why no wake-up is lost (a Dekker-style handshake over volatile accesses, which Java orders
 * sequentially consistently): the waiter (1) registers, which writes {@code empty = false}, then
 * (2) re-reads the channel's state (volatile) and aborts its own wait if the operation became
 * possible. The notifier (a) changes the channel's state with a volatile write or CAS, then (b)
 * reads {@code empty}. In any interleaving either (2) sees (a), and the waiter does not sleep, or
 * (b) sees (1), and the notifier selects a waiter. The lock is only taken when (b) says someone
 * waits.
 *
 * <p>The lock is a {@link SpinLock} (never {@code synchronized}); nothing parks while holding it,
 * so virtual threads are never pinned by it.
 */
public final class WaitQueue {

    private final SpinLock lock = new SpinLock();
    /** Guarded by {@link #lock}. */
    private final WaitList list = new WaitList();
    /** Mirrors {@code list.isEmpty()}; written under the lock, read without it (volatile). */
    private volatile boolean empty = true;

    /** Registers {@code waiter} for operation {@code op} through {@code handle}; returns the entry to unregister. */
    public Entry register(Waiter waiter, int op, Object handle) {
        return register(new Entry(waiter, op, handle));
    }

    /** Registers {@code e} (a waiter's own entry, {@link Waiter#entry}); returns it. */
    public Entry register(Entry e) {
        lock.lock();
        try {
            list.add(e);
            empty = false;
        } finally {
            lock.unlock();
        }
        return e;
    }

    /** Removes {@code e} if a peer has not already removed it. */
    public void unregister(Entry e) {
        lock.lock();
        try {
            if (list.remove(e)) {
                empty = list.isEmpty();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes one waiter of another thread, if any waits: its operation may now proceed. */
    public void notifyOne() {
        if (empty) {
            return;
        }
        Entry selected;
        lock.lock();
        try {
            selected = list.selectOther();
            empty = list.isEmpty();
        } finally {
            lock.unlock();
        }
        if (selected != null) {
            selected.waiter.unpark();
        }
    }

    /** Wakes every waiter with {@link Waiter#DISCONNECTED}. */
    public void disconnect() {
        selectAll(Waiter.DISCONNECTED, null);
    }

    /** Wakes every waiter that came through {@code handle} with {@link Waiter#CLOSED}. */
    public void closeHandle(Object handle) {
        selectAll(Waiter.CLOSED, handle);
    }

    private void selectAll(int state, Object handle) {
        if (empty) {
            return;
        }
        Waiter[] woken;
        lock.lock();
        try {
            woken = list.selectAll(state, handle);
            empty = list.isEmpty();
        } finally {
            lock.unlock();
        }
        Waiter.unpark(woken); // outside the lock: see WaitList.selectAll
    }

    /** Whether someone waits (volatile read; the fast path's check). */
    public boolean isEmpty() {
        return empty;
    }

    /** How many entries are registered now. */
    public int size() {
        lock.lock();
        try {
            return list.size();
        } finally {
            lock.unlock();
        }
    }
}
