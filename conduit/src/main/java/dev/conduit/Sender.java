package dev.conduit;

import dev.conduit.internal.Chan;
import dev.conduit.internal.Flavor;
import dev.conduit.internal.Handle;
import dev.conduit.internal.wait.Deadlines;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The sending end of a channel: one handle among possibly many (Rust's {@code Sender} /
 * {@code SyncSender}).
 *
 * <pre>{@code
 * Channel<String> ch = Channels.bounded(16);
 * try (Sender<String> tx = ch.sender(); Sender<String> tx2 = tx.clone()) {
 *     tx.send("from kitchen 1");     // blocks while the channel is full
 *     tx2.send("from kitchen 2");
 * }                                  // both closed: receivers drain, then see the end
 * }</pre>
 *
 * <p>Handles: {@link #clone()} makes another sender for the same channel; {@link #close()}
 * closes this handle only (Rust's {@code drop}). When the last sender handle is closed, receivers
 * still get every buffered message and then see the channel disconnected. When the last receiver
 * handle is closed, every send throws {@link DisconnectedException} carrying the message that was
 * not sent. Operations on a closed handle throw {@link IllegalStateException}; the status queries
 * ({@link #isClosed()}, {@link #isDisconnected()}, {@link #size()} and the like) keep working.
 *
 * <p>Thread safety: a handle may be used by several threads at once, though the idiom is one
 * clone per thread. A thread blocked in {@link #send} through a handle that another thread closes
 * is woken and gets {@link IllegalStateException}; its message was not sent.
 *
 * @param <T> the type of the messages
 */
public final class Sender<T> implements AutoCloseable {

    private final Chan<T> chan;
    private final Flavor<T> flavor;
    private final Handle handle = new Handle();

    Sender(Chan<T> chan) {
        this.chan = chan;
        this.flavor = chan.flavor;
    }

    /**
     * Sends {@code message}, blocking while the channel is full; on a rendezvous channel, blocks
     * until a receiver has taken it.
     *
     * @param message the message, not null
     * @throws InterruptedException if the thread is interrupted before or while blocked; the
     *     message was not sent and the interrupt status is cleared
     * @throws DisconnectedException if every receiver is closed, carrying {@code message}
     * @throws IllegalStateException if this handle is closed, before or during the call
     * @throws NullPointerException if {@code message} is null
     */
    public void send(T message) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        outcome(flavor.send(message, Deadlines.NONE, handle), message);
    }

    /**
     * Sends {@code message} if that is possible now, without blocking: the channel has room, or
     * (rendezvous) a receiver is already waiting.
     *
     * @param message the message, not null
     * @return true if sent, false if the channel is full (or no receiver waits)
     * @throws DisconnectedException if every receiver is closed, carrying {@code message}
     * @throws IllegalStateException if this handle is closed
     * @throws NullPointerException if {@code message} is null
     */
    public boolean trySend(T message) {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        return outcome(flavor.trySend(message), message);
    }

    /**
     * Sends {@code message}, waiting up to {@code timeout} for room (rendezvous: for a receiver to
     * take it). {@link Duration#ZERO} or a negative timeout only sends if that is possible now; a
     * timeout too long to represent (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits
     * without limit.
     *
     * @param message the message, not null
     * @param timeout how long to wait at most, not null
     * @return true if sent, false if the time ran out (the message was not sent and never will be)
     * @throws InterruptedException if the thread is interrupted before or while waiting; the
     *     message was not sent
     * @throws DisconnectedException if every receiver is closed, carrying {@code message}
     * @throws IllegalStateException if this handle is closed, before or during the call
     * @throws NullPointerException if {@code message} or {@code timeout} is null
     */
    public boolean trySend(T message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        ensureOpen();
        long nanos = Deadlines.toNanos(timeout);
        if (nanos == 0) {
            return outcome(flavor.trySend(message), message);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return outcome(flavor.send(message, Deadlines.after(nanos), handle), message);
    }

    private boolean outcome(int result, T message) {
        switch (result) {
            case Flavor.SENT:
                return true;
            case Flavor.NOT_READY:
                return false;
            case Flavor.DISCONNECTED:
                ensureOpen(); // a close of this handle that woke us is reported as such
                throw new DisconnectedException(
                        "send on a disconnected channel (every receiver is closed): " + chan, message);
            default:
                throw closed();
        }
    }

    /**
     * Another sender handle for the same channel (Rust's {@code Sender::clone}). Each handle must
     * be closed on its own.
     *
     * @return a new open sender handle
     * @throws IllegalStateException if this handle is closed
     */
    @Override
    public Sender<T> clone() {
        ensureOpen();
        if (!chan.acquire(true)) {
            throw closed();
        }
        return new Sender<>(chan);
    }

    /**
     * Closes this handle (Rust's {@code drop}); idempotent. When it is the channel's last sender,
     * receivers drain what is buffered and then see the channel disconnected. Threads blocked in
     * {@link #send} through this handle are woken with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (handle.markClosed()) {
            chan.release(true, handle);
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
     * Whether every receiver handle of the channel is closed, so that sends fail.
     *
     * @return true if the channel is disconnected for senders
     */
    public boolean isDisconnected() {
        return chan.receiversGone();
    }

    /**
     * How many messages are buffered now (always 0 for a rendezvous channel). A snapshot: other
     * threads may change it at once.
     *
     * @return the number of buffered messages
     */
    public int size() {
        return flavor.size();
    }

    /**
     * Whether no message is buffered now (always true for a rendezvous channel).
     *
     * @return true if the channel holds no message
     */
    public boolean isEmpty() {
        return flavor.isEmpty();
    }

    /**
     * Whether the channel is full now, so that a send would block (always true for a rendezvous
     * channel, never for an unbounded one).
     *
     * @return true if no message can be buffered now
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
     * @param other another sender, not null
     * @return true if both handles send into one channel
     */
    public boolean sameChannel(Sender<?> other) {
        return chan == other.chan;
    }

    @Override
    public String toString() {
        return "Sender[" + chan + (isClosed() ? ", closed]" : "]");
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
        return new IllegalStateException("this sender handle is closed: " + chan);
    }
}
