package dev.conduit.internal.wait;

import java.util.Arrays;

/**
 * An intrusive doubly linked list of {@link Entry entries}, oldest first. Not thread-safe: the
 * owner guards it with a lock ({@link WaitQueue} with its own, the rendezvous flavor with the one
 * that also guards its other list). Registration, unregistration and selection are O(1) except
 * the scan past entries whose waiters were already selected elsewhere or belong to the caller.
 */
public final class WaitList {

    private Entry head;
    private Entry tail;
    private int size;

    /** Appends {@code e}. */
    public void add(Entry e) {
        e.prev = tail;
        e.next = null;
        if (tail == null) {
            head = e;
        } else {
            tail.next = e;
        }
        tail = e;
        e.linked = true;
        size++;
    }

    /** Removes {@code e} if it is still in the list; true if it was. */
    public boolean remove(Entry e) {
        if (!e.linked) {
            return false;
        }
        if (e.prev == null) {
            head = e.next;
        } else {
            e.prev.next = e.next;
        }
        if (e.next == null) {
            tail = e.prev;
        } else {
            e.next.prev = e.prev;
        }
        e.prev = e.next = null;
        e.linked = false;
        size--;
        return true;
    }

    /** Whether the list holds no entry. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** How many entries the list holds. */
    public int size() {
        return size;
    }

    /**
     * Selects the oldest entry whose waiter belongs to another thread and is still waiting, removes
     * it and returns it (the caller unparks it); null if there is none. Skipping the caller's own
     * entries keeps a select's send and receive on one rendezvous channel from pairing.
     *
     * <p>Each candidate is unlinked <em>before</em> its waiter is selected. Selecting first and
     * unlinking after would also be correct today, but only because of an argument that is easy
     * to break: the moment the CAS succeeds, the owner may see its new state and reuse its own
     * entry ({@link Entry}), and it is only kept from re-linking that entry while we still hold
     * it by having to take this list's lock (or to wait for a stage we write after unlocking).
     * Unlinking first makes the entry ours before its owner can learn anything. An entry whose
     * waiter was already selected elsewhere (a select's branch that lost) is simply dropped from
     * the list on the way: its owner's later unregister finds it gone, which it allows.
     */
    public Entry selectOther() {
        Thread me = Thread.currentThread();
        for (Entry e = head; e != null; ) {
            Entry next = e.next;
            if (e.waiter.owner != me) {
                remove(e);
                if (e.waiter.trySelect(e.op)) {
                    return e;
                }
            }
            e = next;
        }
        return null;
    }

    /** Whether some entry of another thread is still waiting (a readiness check; no side effect). */
    public boolean hasOther() {
        Thread me = Thread.currentThread();
        for (Entry e = head; e != null; e = e.next) {
            if (e.waiter.owner != me && e.waiter.state() == Waiter.WAITING) {
                return true;
            }
        }
        return false;
    }

    /**
     * Selects every entry (or, if {@code handle} is not null, every entry that came through that
     * handle) with {@code state} and removes them. Returns the waiters it selected, for the caller
     * to {@link Waiter#unpark(Waiter[]) unpark} <em>after</em> releasing its lock: an unpark is a
     * system call (or a trip through the virtual-thread scheduler), and holding the spin lock
     * through N of them would make every other operation on the channel spin for that long.
     * Returns null if it selected nobody; allocates only on these rare paths (disconnection,
     * the close of a handle).
     */
    public Waiter[] selectAll(int state, Object handle) {
        Waiter[] woken = null;
        int n = 0;
        for (Entry e = head; e != null; ) {
            Entry next = e.next;
            if (handle == null || e.handle == handle) {
                remove(e);
                if (e.waiter.trySelect(state)) {
                    if (woken == null) {
                        woken = new Waiter[Math.max(4, size + 1)];
                    } else if (n == woken.length) {
                        woken = Arrays.copyOf(woken, 2 * n);
                    }
                    woken[n++] = e.waiter;
                }
            }
            e = next;
        }
        return woken;
    }
}
