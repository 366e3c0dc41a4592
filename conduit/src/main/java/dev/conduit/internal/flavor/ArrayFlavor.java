package dev.conduit.internal.flavor;

import dev.conduit.internal.Token;
import dev.conduit.internal.wait.Backoff;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bounded flavor (capacity &gt;= 1): a ring of slots, each with a sequence stamp.
 *
 * <h2>Implementation notes</h2>
 * The algorithm is Dmitry Vyukov's bounded MPMC queue, in the form crossbeam-channel's
 * {@code flavors/array.rs} gives it (a "lap" counter beside the index, and a mark bit in the tail
 * for disconnection). Differences from crossbeam: Java's GC frees messages and slots, so the
 * discard on disconnection only has to null them out; and blocking lives in
 * {@link BufferedFlavor}.
 *
 * <p>State. {@code head} and {@code tail} are positions {@code lap | index}: the low bits (below
 * {@code markBit}) are an index in {@code 0..cap-1}, the bits from {@code oneLap = 2 * markBit} up
 * count laps around the ring. {@code tail}'s {@code markBit} is set once, when either side
 * disconnects. Each slot has a stamp: {@code stamp == pos} means "free for the send at position
 * pos", {@code stamp == pos + 1} means "holds the message for the receive at position pos".
 * <pre>
 *   head ─▶ [ s: head+1 | msg ] [ s: head+2 | msg ] [ s: tail | free ] ◀─ tail   (positions)
 * </pre>
 * A sender claims position {@code tail} by CAS when the slot's stamp equals it, writes the
 * message, then publishes with {@code stamp = tail + 1} (release). A receiver claims {@code head}
 * by CAS when the stamp equals {@code head + 1}, reads and clears the message, then frees the slot
 * for the next lap with {@code stamp = head + oneLap} (release).
 *
 * <p>Linearization points: the successful CAS of {@code tail} (send) and of {@code head}
 * (receive); "full" and "empty" are decided by a volatile read of the other counter. A receiver
 * that claimed a slot whose sender has claimed but not yet written waits for the stamp: that
 * window is a few instructions long, unless the sender was descheduled inside it. So the wait
 * spins briefly and then yields ({@code Backoff.snooze}), as crossbeam's {@code Backoff::snooze}
 * does: on a virtual thread, or with more runnable threads than cores, a wait that only spun
 * could hold the very core (or carrier) the writer needs (crossbeam issue #997). A lost CAS only
 * spins: the winner has already made progress.
 *
 * <p>Layout. A slot is one small object holding its stamp and its message side by side (as
 * crossbeam's {@code Slot} struct does), allocated once with the ring. An earlier version kept
 * two parallel arrays, a {@code long[]} of stamps and an {@code Object[]} of messages: every
 * hand-off then moved two cache lines between the producer's and the consumer's cores, and at
 * small capacities, where both sides work on the same few lines, that was most of a message's
 * cost.
 *
 * <p>Memory ordering. Stamps are written with release and read with acquire, each release
 * pairing with the acquire of the thread that next uses the slot; the message field is accessed
 * plainly, ordered by those stamps. {@code head} and {@code tail} are read with volatile loads and
 * changed by CAS (volatile): the "anyone waiting?" handshake of {@code WaitQueue} needs the
 * counters' updates to be sequentially consistent with its flag.
 *
 * <p>Allocation: none per message. The ring is allocated once, so the API layer sends capacities
 * above {@link #MAX_CAPACITY} to a bounded {@link ListFlavor} instead.
 *
 * <p>Disconnection sets {@code markBit} in {@code tail} (fetch-or); a receiver that finds the ring
 * empty and the mark set reports disconnection. When the last receiver leaves, the remaining
 * messages are claimed and dropped like receives, so that a sender mid-write is waited for and
 * nothing stays reachable.
 *
 * @param <T> the message type
 */
public final class ArrayFlavor<T> extends ArrayPad2<T> {

    /** The largest capacity served by a preallocated ring; see docs/adr/0002-huge-capacities.md. */
    public static final int MAX_CAPACITY = 1 << 16;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle STAMP;
    /** claimSend/claimRecv results that are not positions. */
    private static final long FULL = -1;
    private static final long EMPTY_POS = -1;
    private static final long DISCONNECTED_POS = -2;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(ArrayHead.class, "head", long.class);
            TAIL = l.findVarHandle(ArrayTail.class, "tail", long.class);
            STAMP = l.findVarHandle(Slot.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int cap;
    private final long markBit;
    private final long oneLap;
    /** The ring; the array itself is never written after construction. */
    private final Slot[] slots;

    /** One slot of the ring: its stamp and its message, on one cache line. */
    static final class Slot {
        /** See the class notes. Release stores and acquire loads through {@link #STAMP}. */
        long stamp;
        /** The message, or null; plain accesses, ordered by {@link #stamp}. */
        Object message;

        Slot(long stamp) {
            this.stamp = stamp;
        }
    }

    /** A ring of {@code capacity} slots, 1 &lt;= capacity &lt;= {@link #MAX_CAPACITY}. */
    public ArrayFlavor(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        this.cap = capacity;
        this.markBit = Long.highestOneBit(capacity) << 1; // the smallest power of two > capacity
        this.oneLap = markBit << 1;
        this.slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new Slot(i); // slot i is free for the send at position i (lap 0)
        }
        // head = tail = 0; the final fields are published by the API layer's safe publication.
    }

    // ---- claiming and completing ---------------------------------------------------------------

    /** Claims a send position: the old tail, or {@link #FULL} or {@link #DISCONNECTED_POS}. */
    private long claimSend() {
        long tail = (long) TAIL.getVolatile(this);
        for (int step = 0; ; ) {
            if ((tail & markBit) != 0) {
                return DISCONNECTED_POS;
            }
            int index = (int) (tail & (markBit - 1));
            long stamp = (long) STAMP.getAcquire(slots[index]); // pairs with read()'s release
            if (stamp == tail) {
                long next = index + 1 < cap ? tail + 1 : (tail & -oneLap) + oneLap;
                long witness = (long) TAIL.compareAndExchange(this, tail, next);
                if (witness == tail) {
                    return tail;
                }
                tail = witness;
                step = Backoff.spin(step); // lost a race to another sender, who made progress
            } else if (stamp + oneLap == tail + 1) {
                // The slot still holds last lap's message: full, unless a receiver is mid-claim.
                long head = (long) HEAD.getVolatile(this);
                if (head + oneLap == tail) {
                    return FULL;
                }
                step = Backoff.snooze(step); // a receiver is mid-operation: let it run
                tail = (long) TAIL.getVolatile(this);
            } else {
                // Another sender claimed this position and has not finished: look again.
                step = Backoff.snooze(step);
                tail = (long) TAIL.getVolatile(this);
            }
        }
    }

    private void write(long tail, T message) {
        int index = (int) (tail & (markBit - 1));
        Slot slot = slots[index];
        slot.message = message;
        STAMP.setRelease(slot, tail + 1); // publishes the message to claimRecv's acquire
    }

    /** Claims a receive position: the old head, or {@link #EMPTY_POS} or {@link #DISCONNECTED_POS}. */
    private long claimRecv() {
        long head = (long) HEAD.getVolatile(this);
        for (int step = 0; ; ) {
            int index = (int) (head & (markBit - 1));
            long stamp = (long) STAMP.getAcquire(slots[index]); // pairs with write()'s release
            if (stamp == head + 1) {
                long next = index + 1 < cap ? head + 1 : (head & -oneLap) + oneLap;
                long witness = (long) HEAD.compareAndExchange(this, head, next);
                if (witness == head) {
                    return head;
                }
                head = witness;
                step = Backoff.spin(step); // lost a race to another receiver, who made progress
            } else if (stamp == head) {
                // The slot is free: empty, unless a sender claimed it and is still writing.
                long tail = (long) TAIL.getVolatile(this);
                if ((tail & ~markBit) == head) {
                    return (tail & markBit) != 0 ? DISCONNECTED_POS : EMPTY_POS;
                }
                step = Backoff.snooze(step); // a sender is mid-write: let it run
                head = (long) HEAD.getVolatile(this);
            } else {
                // Another receiver claimed this position and has not finished: look again.
                step = Backoff.snooze(step);
                head = (long) HEAD.getVolatile(this);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private T read(long head) {
        int index = (int) (head & (markBit - 1));
        Slot slot = slots[index];
        Object message = slot.message;
        slot.message = null; // for the GC; ordered before the release below
        STAMP.setRelease(slot, head + oneLap); // frees the slot for claimSend's acquire
        return (T) message;
    }

    // ---- probes for a sender or receiver that backs off ------------------------------------------

    /**
     * False while the slot at the tail still holds last lap's message (full). Reads the tail and
     * that slot only, never the head: a sender that waits on a full ring does not pull the
     * receivers' counter line away from them on every retry.
     */
    @Override
    boolean mayHaveRoom() {
        long tail = (long) TAIL.getVolatile(this);
        if ((tail & markBit) != 0) {
            return true; // disconnected: the retry reports it
        }
        long stamp = (long) STAMP.getAcquire(slots[(int) (tail & (markBit - 1))]);
        return stamp + oneLap != tail + 1;
    }

    /**
     * False while the slot at the head is free for the send at that position (empty, or a sender
     * is mid-write). Reads the head and that slot only, never the tail, for the same reason.
     */
    @Override
    boolean mayHaveMessage() {
        long head = (long) HEAD.getVolatile(this);
        return (long) STAMP.getAcquire(slots[(int) (head & (markBit - 1))]) != head;
    }

    // ---- direct operations ---------------------------------------------------------------------

    @Override
    public int trySend(T message) {
        long tail = claimSend();
        if (tail >= 0) {
            write(tail, message);
            receivers.notifyOne();
            return SENT;
        }
        return tail == FULL ? NOT_READY : DISCONNECTED;
    }

    @Override
    public Object tryRecv() {
        long head = claimRecv();
        if (head >= 0) {
            T message = read(head);
            senders.notifyOne();
            return message;
        }
        return head == EMPTY_POS ? EMPTY : GONE;
    }

    // ---- select --------------------------------------------------------------------------------

    @Override
    public int startSend(Token token) {
        long tail = claimSend();
        if (tail >= 0) {
            token.pos = tail;
            return SENT;
        }
        return tail == FULL ? NOT_READY : DISCONNECTED;
    }

    @Override
    public void write(Token token, T message) {
        write(token.pos, message);
        receivers.notifyOne();
    }

    @Override
    public int startRecv(Token token) {
        long head = claimRecv();
        if (head >= 0) {
            token.pos = head;
            return SENT;
        }
        return head == EMPTY_POS ? NOT_READY : DISCONNECTED;
    }

    @Override
    public T read(Token token) {
        T message = read(token.pos);
        senders.notifyOne();
        return message;
    }

    @Override
    public boolean isReady(boolean send) {
        return send ? !isFull() || isDisconnected() : !isEmpty() || isDisconnected();
    }

    /**
     * A receive turns ready only when a sender moves {@code tail} (or the mark is set in it), so
     * {@code tail} is the receive's version. A send turns ready only when a receiver moves
     * {@code head}, or on disconnection (the mark, in {@code tail}): the send's version is
     * {@code head} with the mark folded into its top bit (positions never reach it).
     */
    @Override
    public long observe(boolean send) {
        long tail = (long) TAIL.getVolatile(this);
        if (!send) {
            return tail;
        }
        long head = (long) HEAD.getVolatile(this);
        return (tail & markBit) != 0 ? head | Long.MIN_VALUE : head;
    }

    // ---- state ---------------------------------------------------------------------------------

    @Override
    public int size() {
        for (;;) {
            long tail = (long) TAIL.getVolatile(this);
            long head = (long) HEAD.getVolatile(this);
            if ((long) TAIL.getVolatile(this) != tail) {
                continue; // a consistent pair: tail did not move while we read head
            }
            long hix = head & (markBit - 1);
            long tix = tail & (markBit - 1);
            if (hix < tix) {
                return (int) (tix - hix);
            } else if (hix > tix) {
                return (int) (cap - hix + tix);
            } else {
                return (tail & ~markBit) == head ? 0 : cap;
            }
        }
    }

    @Override
    public int capacity() {
        return cap;
    }

    @Override
    public boolean isEmpty() {
        long head = (long) HEAD.getVolatile(this);
        long tail = (long) TAIL.getVolatile(this);
        return (tail & ~markBit) == head; // a consistent answer at the moment tail was read
    }

    @Override
    public boolean isFull() {
        long tail = (long) TAIL.getVolatile(this);
        long head = (long) HEAD.getVolatile(this);
        return head + oneLap == (tail & ~markBit); // consistent at the moment head was read
    }

    @Override
    public boolean isDisconnected() {
        return ((long) TAIL.getVolatile(this) & markBit) != 0;
    }

    @Override
    public void disconnectSenders() {
        long tail = (long) TAIL.getAndBitwiseOr(this, markBit);
        if ((tail & markBit) == 0) {
            wakeAll();
        }
    }

    @Override
    public void disconnectReceivers() {
        long tail = (long) TAIL.getAndBitwiseOr(this, markBit);
        if ((tail & markBit) == 0) {
            wakeAll();
        }
        // Drop what is buffered, claiming each slot like a receive so that a send that claimed
        // its slot before the mark is waited for and its message dropped too.
        long head;
        while ((head = claimRecv()) >= 0) {
            read(head);
        }
    }
}

// ---- padding by inheritance: head and tail on cache lines of their own (128 bytes apart, for
// ---- adjacent-line prefetch). The JVM lays out superclass fields before subclass fields.

abstract class ArrayPad0<T> extends BufferedFlavor<T> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class ArrayHead<T> extends ArrayPad0<T> {
    /** Next position to receive from. Volatile reads, CAS; written by receivers. */
    volatile long head;
}

abstract class ArrayPad1<T> extends ArrayHead<T> {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

abstract class ArrayTail<T> extends ArrayPad1<T> {
    /** Next position to send to, plus the mark bit. Volatile reads, CAS, fetch-or; written by senders and disconnection. */
    volatile long tail;
}

abstract class ArrayPad2<T> extends ArrayTail<T> {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;
}
