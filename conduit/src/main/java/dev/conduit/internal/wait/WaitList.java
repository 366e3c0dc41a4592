package dev.conduit.internal.wait;

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
     */
    public Entry selectOther() {
        Thread me = Thread.currentThread();
        for (Entry e = head; e != null; e = e.next) {
            if (e.waiter.owner != me && e.waiter.trySelect(e.op)) {
                remove(e);
                return e;
            }
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
     * handle) with {@code state}, removes them, and unparks the ones it selected.
     */
    public void selectAll(int state, Object handle) {
        for (Entry e = head; e != null; ) {
            Entry next = e.next;
            if (handle == null || e.handle == handle) {
                remove(e);
                if (e.waiter.trySelect(state)) {
                    e.waiter.unpark();
                }
            }
            e = next;
        }
    }
}
