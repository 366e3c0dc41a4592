package dev.conduit;

import dev.conduit.internal.Chan;
import dev.conduit.internal.Flavor;
import dev.conduit.internal.Handle;
import dev.conduit.internal.wait.Deadlines;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The receiving end of a channel: one handle among possibly many (Rust's {@code Receiver};
 * several receivers share the messages, each message going to exactly one of them).
 *
 * <pre>{@code
 * try (Receiver<String> rx = ch.receiver()) {
 *     for (String order : rx) {      // blocks for each message
 *         cook(order);
 *     }                              // ends when every sender is closed and all is received
 * }
 * }</pre>
 *
 * <p>Handles: {@link #clone()} makes another receiver for the same channel; {@link #close()}
 * closes this handle only. When the last receiver handle is closed, senders see the channel
 * disconnected and messages still buffered are discarded. When the last sender handle is closed,
 * receivers get every buffered message and then {@link DisconnectedException}. Operations on a
 * closed handle throw {@link IllegalStateException}; the status queries keep working. A thread
 * blocked in a receive through a handle that another thread closes is woken and gets
 * {@link IllegalStateException}; no message was consumed.
 *
 * @param <T> the type of the messages
 */
public final class Receiver<T> implements Iterable<T>, AutoCloseable {

    private final Chan<T> chan;
    private final Flavor<T> flavor;
    private final Handle handle = new Handle();

    Receiver(Chan<T> chan) {
        this.chan = chan;
        this.flavor = chan.flavor;
    }

    /**
     * Receives a message, blocking until one arrives.
     *
     * @return the message
     * @throws InterruptedException if the thread is interrupted before or while blocked; no
     *     message was consumed and the interrupt status is cleared
     * @throws DisconnectedException if the channel is empty and every sender is closed
     * @throws IllegalStateException if this handle is closed, before or during the call
     */
    public T recv() throws InterruptedException {
        ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return outcome(flavor.recv(Deadlines.NONE, handle));
    }

    /**
     * Receives a message if one is ready now, without blocking.
     *
     * @return the message, or {@code null} if none is ready
     * @throws DisconnectedException if the channel is empty and every sender is closed
     * @throws IllegalStateException if this handle is closed
     */
    public T tryRecv() {
        ensureOpen();
        return outcome(flavor.tryRecv());
    }

    /**
     * Receives a message, waiting up to {@code timeout} for one. {@link Duration#ZERO} or a negative
     * timeout only takes a message that is ready now; a timeout too long to represent (such as
     * {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits without limit.
     *
     * @param timeout how long to wait at most, not null
     * @return the message, or {@code null} if the time ran out (then no message was consumed)
     * @throws InterruptedException if the thread is interrupted before or while waiting; no
     *     message was consumed
     * @throws DisconnectedException if the channel is empty and every sender is closed
     * @throws IllegalStateException if this handle is closed, before or during the call
     * @throws NullPointerException if {@code timeout} is null
     */
    public T tryRecv(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        ensureOpen();
        long nanos = Deadlines.toNanos(timeout);
        if (nanos == 0) {
            return outcome(flavor.tryRecv());
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return outcome(flavor.recv(Deadlines.after(nanos), handle));
    }

    @SuppressWarnings("unchecked")
    private T outcome(Object result) {
        if (result == Flavor.EMPTY) {
            return null;
        }
        if (result == Flavor.GONE) {
            ensureOpen(); // a close of this handle that woke us is reported as such
            throw new DisconnectedException(
                    "receive on an empty and disconnected channel (every sender is closed): " + chan, null);
        }
        if (result == Flavor.HANDLE_CLOSED) {
            throw closed();
        }
        return (T) result;
    }

    /**
     * A blocking iterator: {@code hasNext()} waits for the next message and returns false once the
     * channel is empty and every sender is closed ({@code for (T m : rx)} then simply ends).
     *
     * <p>If the thread is interrupted while {@code hasNext()} waits, the interrupt status is kept
     * and a {@link CancellationException} whose cause is the {@link InterruptedException} is thrown.
     * Using the iterator after this handle is closed throws {@link IllegalStateException}.
     *
     * @return an iterator over the messages as they arrive
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    next = recv();
                    return true;
                } catch (DisconnectedException end) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    CancellationException c = new CancellationException(
                            "interrupted while waiting for a message on " + chan);
                    c.initCause(e);
                    throw c;
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the channel is disconnected and drained: " + chan);
                }
                T m = next;
                next = null;
                return m;
            }
        };
    }

    /**
     * The messages that are ready now, without blocking: iteration ends when none is ready. After
     * disconnection it still yields what is buffered, then ends (it never throws
     * {@link DisconnectedException}).
     *
     * @return a one-pass iterable over the ready messages
     */
    public Iterable<T> tryIter() {
        return () -> new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = tryRecv();
                    } catch (DisconnectedException end) {
                        return false;
                    }
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no message is ready on " + chan);
                }
                T m = next;
                next = null;
                return m;
            }
        };
    }

    /**
     * A blocking sequential stream of the messages, ending when the channel is empty and every
     * sender is closed. Interrupts behave as for {@link #iterator()}.
     *
     * @return a stream over the messages as they arrive
     */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Moves up to {@code max} messages that are ready now into {@code sink}, without blocking.
     *
     * @param sink where the messages go, not null
     * @param max the most messages to move; 0 or less moves none
     * @return how many messages were moved
     * @throws IllegalStateException if this handle is closed
     * @throws NullPointerException if {@code sink} is null
     */
    public int drainTo(Collection<? super T> sink, int max) {
        Objects.requireNonNull(sink, "sink");
        ensureOpen();
        int n = 0;
        while (n < max) {
            Object r = flavor.tryRecv();
            if (r == Flavor.EMPTY || r == Flavor.GONE) {
                break;
            }
            @SuppressWarnings("unchecked")
            T m = (T) r;
            sink.add(m);
            n++;
        }
        return n;
    }

    /**
     * Another receiver handle for the same channel; each message goes to exactly one receiver.
     *
     * @return a new open receiver handle
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public Receiver<T> clone() {
        ensureOpen();
        if (!chan.acquire(false)) {
            throw closed();
        }
        return new Receiver<>(chan);
    }

    /**
     * Closes this handle; idempotent. When it is the channel's last receiver, senders see the
     * channel disconnected and buffered messages are discarded. Threads blocked in a receive
     * through this handle are woken with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (handle.markClosed()) {
            chan.release(false, handle);
        }
    }

    /**
     * Whether this handle was closed.
     *
     * @return true once {@link #close()} was called on this handle
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /**
     * Whether every sender handle is closed. Messages may still be buffered; receives return them
     * and then throw {@link DisconnectedException}. Timer receivers never disconnect.
     *
     * @return true if the channel is disconnected for receivers
     */
    public boolean isDisconnected() {
        return chan.sendersGone();
    }

    /**
     * How many messages are buffered now (a snapshot).
     *
     * @return the number of buffered messages (always 0 for a rendezvous channel)
     */
    public int size() {
        return flavor.size();
    }

    /**
     * Whether no message is buffered now.
     *
     * @return true if the channel holds no message
     */
    public boolean isEmpty() {
        return flavor.isEmpty();
    }

    /**
     * Whether the channel is full now.
     *
     * @return true if no message can be buffered now (always true for a rendezvous channel)
     */
    public boolean isFull() {
        return flavor.isFull();
    }

    /**
     * The channel's capacity.
     *
     * @return the capacity, or empty for an unbounded channel
     */
    public OptionalInt capacity() {
        int c = flavor.capacity();
        return c < 0 ? OptionalInt.empty() : OptionalInt.of(c);
    }

    /**
     * Whether {@code other} is a handle of the same channel.
     *
     * @param other another receiver, not null
     * @return true if both handles receive from one channel
     */
    public boolean sameChannel(Receiver<?> other) {
        return chan == other.chan;
    }

    @Override
    public String toString() {
        return "Receiver[" + chan + (isClosed() ? ", closed]" : "]");
    }

    Chan<T> chan() {
        return chan;
    }

    Handle handle() {
        return handle;
    }

    /** The number of waiter entries registered in the channel (both sides); a test hook. */
    int waiterCount() {
        return flavor.waiterCount();
    }

    void ensureOpen() {
        if (handle.isClosed()) {
            throw closed();
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException("this receiver handle is closed: " + chan);
    }
}
