package dev.conduit.internal.flavor;

import dev.conduit.internal.Token;
import dev.conduit.internal.wait.Backoff;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The unbounded flavor (and the bounded one for capacities too large to preallocate): a linked
 * list of fixed-size blocks.
 *
 * <h2>Implementation notes</h2>
 * The algorithm is crossbeam-channel's {@code flavors/list.rs} (itself after Dmitry Vyukov's
 * unbounded MPSC queue, generalised to many consumers). Differences: Java's GC reclaims blocks,
 * so crossbeam's per-slot READ/DESTROY protocol for freeing a block while readers are still in it
 * disappears, and a slot's "written" flag is the message itself (messages are never null); the
 * first block is allocated up front; and an optional {@code limit} turns the list into a bounded
 * channel that allocates only what it uses (capacities above {@link ArrayFlavor#MAX_CAPACITY}).
 *
 * <p>State. A position is {@code index << SHIFT | flag}. Index {@code i} lives in slot
 * {@code i % lap} of its block; the last index of each lap ({@code blockCap = lap - 1}) is not a
 * slot but a marker that the block is full and its successor is being installed. {@code tail}'s
 * flag bit ({@code MARK}) means "disconnected"; {@code head}'s flag bit means "the head block
 * already has a successor", which lets a receiver skip reading {@code tail}.
 * <pre>
 *   headBlock                        tailBlock
 *   [m m m . . . . | next] ─▶ ... ─▶ [m m . . . . . | null]
 *         ^head index                     ^tail index
 * </pre>
 *
 * <p>Send: claim {@code tail} by CAS; the sender that claims the last slot of a block allocates
 * (before its CAS, so no thread waits on an allocation) and installs the next block, moving
 * {@code tail} past the marker. Then it writes the message with a release store into its slot.
 * Receive: claim {@code head} by CAS (after checking {@code tail} that the list is not empty,
 * unless the flag says a next block exists); the receiver that claims a block's last slot moves
 * {@code head} to the next block. Then it waits until its slot holds a message (acquire; the
 * sender has claimed it, so it is a matter of instructions), takes it and clears the slot.
 *
 * <p>Linearization points: the successful CAS of {@code tail} (send) and of {@code head}
 * (receive). Memory ordering: positions are read volatile and changed by CAS or volatile writes
 * (the waiting handshake needs them sequentially consistent); block links are volatile (a
 * release/acquire pair would do, but they change once per block); slots are written with release
 * and read with acquire, each pair naming the sender and the receiver of that slot.
 *
 * <p>Allocation: one block of {@code lap - 1} slots per {@code lap - 1} messages (63 by default).
 *
 * @param <T> the message type
 */
public final class ListFlavor<T> extends ListPad2<T> {

    /** Slots per lap (one of them the block-end marker); 64 makes a block ~270 bytes, ~4 bytes a message. */
    public static final int DEFAULT_LAP = 64;
    /** The {@code limit} of an unbounded list. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    static final int SHIFT = 1;
    static final long MARK = 1;
    private static final long ONE = 1L << SHIFT;

    private static final VarHandle HEAD_INDEX;
    private static final VarHandle TAIL_INDEX;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** claimRecv's answer when it recorded the claimed slot in a token. */
    private static final Object CLAIMED = new Object();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD_INDEX = l.findVarHandle(ListHead.class, "headIndex", long.class);
            TAIL_INDEX = l.findVarHandle(ListTail.class, "tailIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** An unbounded list with the default block size. */
    public ListFlavor() {
        this(UNBOUNDED, DEFAULT_LAP);
    }

    /**
     * A list holding at most {@code limit} messages, with blocks of {@code lap - 1} slots (tests
     * shrink it). {@code lap} is a power of two, so that an index splits into block and offset by
     * a shift and a mask: with a division, the two or three it took per operation were a visible
     * part of an unbounded hand-off.
     */
    public ListFlavor(long limit, int lap) {
        super(limit, lap);
        Block first = new Block(blockCap);
        this.headBlock = first;
        this.tailBlock = first;
    }

    /** A block of slots and the link to its successor. */
    static final class Block {
        /** Messages; release writes and acquire reads through {@link #SLOT}, cleared plainly after reading. */
        final Object[] slots;
        /** The next block; written once, by the sender that filled this one. */
        volatile Block next;

        Block(int size) {
            slots = new Object[size];
        }

        Block awaitNext() {
            Block n;
            for (int step = 0; (n = next) == null; ) {
                step = Backoff.snooze(step);
            }
            return n;
        }
    }

    // ---- claiming and completing ---------------------------------------------------------------

    /**
     * Claims a send slot; {@link #SENT}, {@link #NOT_READY} (a bounded list is full) or
     * {@link #DISCONNECTED}. With a {@code token} the slot is recorded there for a later
     * {@link #write(Token, Object)}; without one (direct sends, which must not allocate a token per
     * message) {@code message} is written at once.
     *
     * <p>The bound: a bounded list is full when {@code tail - head} (in messages) reaches
     * {@code limit}, read as {@code tail} then {@code head}. Since {@code tail} only grows, the
     * channel held at least that many messages at the instant of the {@code head} read, so "full"
     * is true at that instant; and a CAS that succeeds on an unchanged {@code tail} adds a message
     * to a list that holds fewer than {@code limit} (head only grows too). An earlier version
     * reserved a count before the CAS and released it after the receive; Lincheck found it not
     * linearizable (a {@code trySend} refused for a reservation whose message was not yet in the
     * list, and after a receive that had already linearized).
     */
    private int claimSend(Token token, T message) {
        long tail = (long) TAIL_INDEX.getVolatile(this);
        Block block = tailBlock;
        Block nextBlock = null;
        for (int step = 0; ; ) {
            if ((tail & MARK) != 0) {
                return DISCONNECTED;
            }
            int offset = (int) (tail >>> SHIFT) & (lap - 1);
            if (offset == blockCap) {
                // Another sender filled this block and is installing the next one.
                step = Backoff.snooze(step);
                tail = (long) TAIL_INDEX.getVolatile(this);
                block = tailBlock;
                continue;
            }
            if (limit != UNBOUNDED) {
                long head = (long) HEAD_INDEX.getVolatile(this); // after tail: see the notes above
                if (messagesBefore(tail >>> SHIFT) - messagesBefore(head >>> SHIFT) >= limit) {
                    return NOT_READY;
                }
            }
            if (offset + 1 == blockCap && nextBlock == null) {
                nextBlock = new Block(blockCap); // allocate before claiming, so nobody waits on it
            }
            long witness = (long) TAIL_INDEX.compareAndExchange(this, tail, tail + ONE);
            if (witness == tail) {
                if (offset + 1 == blockCap) {
                    // We took the block's last slot: link and publish the next block, then step
                    // the index over the marker. Order matters: tailBlock before the index.
                    tailBlock = nextBlock;
                    TAIL_INDEX.getAndAdd(this, ONE);
                    block.next = nextBlock;
                }
                if (token == null) {
                    write(block, offset, message);
                } else {
                    token.ref = block;
                    token.pos = offset;
                }
                return SENT;
            }
            tail = witness;
            block = tailBlock;
            step = Backoff.spin(step);
        }
    }

    private void write(Block block, int offset, T message) {
        SLOT.setRelease(block.slots, offset, message); // pairs with the acquire in read()
    }

    /**
     * Claims a receive slot. With a {@code token}, records the slot there and returns
     * {@link #CLAIMED}; without one, reads and returns the message at once. Otherwise returns
     * {@link #EMPTY} or {@link #GONE}.
     */
    private Object claimRecv(Token token) {
        long head = (long) HEAD_INDEX.getVolatile(this);
        Block block = headBlock;
        for (int step = 0; ; ) {
            int offset = (int) (head >>> SHIFT) & (lap - 1);
            if (offset == blockCap) {
                // Another receiver is moving head to the next block.
                step = Backoff.snooze(step);
                head = (long) HEAD_INDEX.getVolatile(this);
                block = headBlock;
                continue;
            }
            long next = head + ONE;
            // Not empty if the slot already holds its message (its sender's claim of it moved tail
            // past head, and tail never goes back), or if head's flag says a later block exists.
            // Only otherwise read tail: in a channel that keeps up, head and tail share a block,
            // and reading tail on every receive pulled the senders' line away from them.
            if ((next & MARK) == 0 && SLOT.getAcquire(block.slots, offset) == null) {
                long tail = (long) TAIL_INDEX.getVolatile(this);
                if ((head >>> SHIFT) == (tail >>> SHIFT)) {
                    return (tail & MARK) != 0 ? GONE : EMPTY;
                }
                if ((head >>> SHIFT) >>> lapShift != (tail >>> SHIFT) >>> lapShift) {
                    next |= MARK; // tail is in a later block: this block has (or will have) a successor
                }
            }
            long witness = (long) HEAD_INDEX.compareAndExchange(this, head, next);
            if (witness == head) {
                if (offset + 1 == blockCap) {
                    Block successor = block.awaitNext();
                    long nextIndex = (next & ~MARK) + ONE;
                    if (successor.next != null) {
                        nextIndex |= MARK;
                    }
                    headBlock = successor;
                    HEAD_INDEX.setVolatile(this, nextIndex);
                }
                if (token == null) {
                    return read(block, offset);
                }
                token.ref = block;
                token.pos = offset;
                return CLAIMED;
            }
            head = witness;
            block = headBlock;
            step = Backoff.spin(step);
        }
    }

    @SuppressWarnings("unchecked")
    private T read(Block block, int offset) {
        Object[] slots = block.slots;
        Object message;
        // The sender claimed this slot before us; wait the few instructions until it writes.
        for (int step = 0; (message = SLOT.getAcquire(slots, offset)) == null; ) {
            step = Backoff.snooze(step);
        }
        slots[offset] = null; // for the GC; nobody reads this slot again
        return (T) message;
    }

    // ---- a probe for a receiver that backs off --------------------------------------------------

    /**
     * False only while the slot at the head is still empty, head and tail in one block (empty, or
     * its sender is mid-write). Reads the head side only, never {@code tail}: a receiver waiting
     * on an empty list does not pull the senders' line away from them on every retry.
     */
    @Override
    boolean mayHaveMessage() {
        long head = (long) HEAD_INDEX.getVolatile(this);
        Block block = headBlock;
        int offset = (int) (head >>> SHIFT) & (lap - 1);
        return offset == blockCap || (head & MARK) != 0 || SLOT.getAcquire(block.slots, offset) != null;
    }

    // ---- direct operations ---------------------------------------------------------------------

    @Override
    public int trySend(T message) {
        int r = claimSend(null, message);
        if (r == SENT) {
            receivers.notifyOne();
        }
        return r;
    }

    @Override
    public Object tryRecv() {
        Object r = claimRecv(null);
        if (r != EMPTY && r != GONE && limit != UNBOUNDED) {
            senders.notifyOne();
        }
        return r;
    }

    // ---- select --------------------------------------------------------------------------------

    @Override
    public int startSend(Token token) {
        return claimSend(token, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void write(Token token, T message) {
        Block block = (Block) token.ref;
        token.ref = null; // a select's token lives as long as the select: it must not pin the list
        write(block, (int) token.pos, message);
        receivers.notifyOne();
    }

    @Override
    public int startRecv(Token token) {
        Object r = claimRecv(token);
        return r == CLAIMED ? SENT : r == EMPTY ? NOT_READY : DISCONNECTED;
    }

    @Override
    public T read(Token token) {
        Block block = (Block) token.ref;
        token.ref = null; // as in write(Token, T): a kept select must not keep the block's successors
        T message = read(block, (int) token.pos);
        if (limit != UNBOUNDED) {
            senders.notifyOne();
        }
        return message;
    }

    @Override
    public boolean isReady(boolean send) {
        return send ? !isFull() || isDisconnected() : !isEmpty() || isDisconnected();
    }

    /**
     * As for the ring: a receive turns ready only when a sender moves {@code tailIndex} (which
     * carries the disconnect mark); a send on a bounded list turns ready only when a receiver
     * moves {@code headIndex}, or on disconnection. An unbounded list's send is never "not ready".
     */
    @Override
    public long observe(boolean send) {
        long tail = (long) TAIL_INDEX.getVolatile(this);
        if (!send) {
            return tail;
        }
        long head = (long) HEAD_INDEX.getVolatile(this) & ~MARK; // head's flag is no readiness
        return (tail & MARK) != 0 ? head | MARK : head;
    }

    // ---- state ---------------------------------------------------------------------------------

    /** Messages among indices [0, index): every index but the block-end markers. */
    private long messagesBefore(long index) {
        return index - (index >>> lapShift);
    }

    @Override
    public int size() {
        for (;;) {
            long tail = (long) TAIL_INDEX.getVolatile(this);
            long head = (long) HEAD_INDEX.getVolatile(this);
            if ((long) TAIL_INDEX.getVolatile(this) == tail) {
                long n = messagesBefore(tail >>> SHIFT) - messagesBefore(head >>> SHIFT);
                return (int) Math.max(0, Math.min(n, Integer.MAX_VALUE));
            }
        }
    }

    @Override
    public int capacity() {
        return limit == UNBOUNDED ? -1 : (int) limit;
    }

    @Override
    public boolean isEmpty() {
        long head = (long) HEAD_INDEX.getVolatile(this);
        long tail = (long) TAIL_INDEX.getVolatile(this);
        return (head >>> SHIFT) == (tail >>> SHIFT);
    }

    @Override
    public boolean isFull() {
        return limit != UNBOUNDED && size() >= limit;
    }

    @Override
    public boolean isDisconnected() {
        return ((long) TAIL_INDEX.getVolatile(this) & MARK) != 0;
    }

    @Override
    public void disconnectSenders() {
        long tail = (long) TAIL_INDEX.getAndBitwiseOr(this, MARK);
        if ((tail & MARK) == 0) {
            wakeAll();
        }
    }

    @Override
    public void disconnectReceivers() {
        long tail = (long) TAIL_INDEX.getAndBitwiseOr(this, MARK);
        if ((tail & MARK) == 0) {
            wakeAll();
        }
        // Drop what is buffered, claiming each slot like a receive, so that a sender that claimed
        // a slot before the mark is waited for and nothing stays reachable.
        Object r;
        do {
            r = claimRecv(null);
        } while (r != EMPTY && r != GONE);
    }
}

// ---- padding by inheritance: the receivers' and the senders' fields on separate cache lines.
//
// HotSpot lays a subclass's fields into the gaps its superclasses leave. When ListFlavor declared
// its configuration, `lap` (an int) filled the 4-byte gap after `tailBlock`, on the senders' line,
// so every receive read a line that every send writes; with the configuration moved down, the next
// layout put `tailBlock` into the gap after `headBlock`, on the receivers' line. Hence: the
// read-only configuration lives in the lowest class, before any padding; each hot group fills its
// own gap (headGap, tailGap); ListFlavor declares no instance field. ListLayoutTest checks the
// offsets, so a field added later cannot quietly undo this.

abstract class ListShape<T> extends BufferedFlavor<T> {
    /** Slots per lap: a block's {@code lap - 1} slots and the block-end marker. A power of two. */
    final int lap;
    /** {@code log2(lap)}: an index's block is {@code index >>> lapShift}, its offset {@code index & (lap - 1)}. */
    final int lapShift;
    /** Slots per block, {@code lap - 1}: also the offset of the block-end marker. */
    final int blockCap;
    /** The most messages buffered at once, or {@link ListFlavor#UNBOUNDED}. */
    final long limit;

    ListShape(long limit, int lap) {
        if (limit < 1 || lap < 2 || Integer.bitCount(lap) != 1) {
            throw new IllegalArgumentException("limit " + limit + ", lap " + lap + " (a power of two >= 2)");
        }
        this.limit = limit;
        this.lap = lap;
        this.lapShift = Integer.numberOfTrailingZeros(lap);
        this.blockCap = lap - 1;
    }
}

abstract class ListPad0<T> extends ListShape<T> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    ListPad0(long limit, int lap) {
        super(limit, lap);
    }
}

abstract class ListHead<T> extends ListPad0<T> {
    /** Receivers' position (index and has-next flag). Volatile reads, CAS; written by receivers. */
    volatile long headIndex;
    /** The block {@code headIndex} points into; volatile, written by the receiver that crosses a block end. */
    volatile ListFlavor.Block headBlock;
    /** Unused: fills the gap after {@code headBlock} (compressed references), which a sender's field would fill otherwise. */
    int headGap;

    ListHead(long limit, int lap) {
        super(limit, lap);
    }
}

abstract class ListPad1<T> extends ListHead<T> {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    ListPad1(long limit, int lap) {
        super(limit, lap);
    }
}

abstract class ListTail<T> extends ListPad1<T> {
    /** Senders' position (index and disconnect mark). Volatile reads, CAS; written by senders and disconnection. */
    volatile long tailIndex;
    /** The block {@code tailIndex} points into; volatile, written by the sender that fills a block. */
    volatile ListFlavor.Block tailBlock;
    /** Unused: fills the gap after {@code tailBlock}, as {@code headGap} does on the receivers' line. */
    int tailGap;

    ListTail(long limit, int lap) {
        super(limit, lap);
    }
}

abstract class ListPad2<T> extends ListTail<T> {
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;

    ListPad2(long limit, int lap) {
        super(limit, lap);
    }
}
