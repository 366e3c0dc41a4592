package dev.conduit;

import dev.conduit.internal.select.Selector;
import dev.conduit.internal.wait.Deadlines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Waits on several channel operations at once and completes exactly one (crossbeam's
 * {@code select!}).
 *
 * <pre>{@code
 * Select<String> sel = new Select<String>()
 *     .recv(orders, o -> "order " + o)
 *     .recv(cancels, c -> "cancel " + c, () -> "cancels closed")
 *     .send(out, reply, () -> "reply sent");
 * String what = sel.select();                              // blocks
 * Optional<String> maybe = sel.select(Duration.ofMillis(100)); // empty on time-out
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Exactly one operation completes per call: no message is taken or sent by a branch other
 *       than the one whose handler runs.</li>
 *   <li>A branch whose channel is disconnected counts as ready. Choosing it runs its disconnect
 *       handler, or, without one, throws {@link DisconnectedException} (carrying the message, for
 *       a send branch).</li>
 *   <li>When several branches are ready, one is chosen uniformly at random, so none starves.</li>
 *   <li>Several branches may name the same channel; a send and a receive branch on one rendezvous
 *       channel never pair with each other.</li>
 *   <li>Handlers run on the selecting thread after their operation completed; a handler's
 *       exception propagates, and the operation stays completed.</li>
 *   <li>A select may be reused for any number of calls; it is used by one thread at a time.
 *       Every call checks that the branches' handles are open ({@link IllegalStateException}
 *       otherwise, also when a handle is closed while the select waits).</li>
 *   <li>Timer receivers ({@link Channels#after}, {@link Channels#tick}, {@link Channels#never})
 *       work as branches, for time-outs and heartbeats.</li>
 * </ul>
 *
 * @param <R> the type of the handlers' results
 */
public final class Select<R> {

    private final Selector selector = new Selector();
    private final List<Branch<R>> branches = new ArrayList<>();

    /** Creates a select with no branches. */
    public Select() {
    }

    /** A branch's handlers. */
    private static final class Branch<R> {
        final Function<Object, ? extends R> onMessage; // receive branches
        final Supplier<? extends R> onSent; // send branches
        final Supplier<? extends R> onDisconnected; // either; null: throw
        final Object handleObject;

        Branch(Function<Object, ? extends R> onMessage, Supplier<? extends R> onSent,
                Supplier<? extends R> onDisconnected, Object handleObject) {
            this.onMessage = onMessage;
            this.onSent = onSent;
            this.onDisconnected = onDisconnected;
            this.handleObject = handleObject;
        }
    }

    /**
     * Adds a receive branch: when chosen, it takes a message from {@code rx} and returns
     * {@code onMessage}'s result. If {@code rx} is disconnected and empty, choosing the branch
     * throws {@link DisconnectedException}.
     *
     * @param <T> the type of the messages
     * @param rx the receiver, not null
     * @param onMessage what to do with the message, not null
     * @return this select
     */
    public <T> Select<R> recv(Receiver<T> rx, Function<? super T, ? extends R> onMessage) {
        Objects.requireNonNull(onMessage, "onMessage");
        return addRecv(rx, onMessage, null);
    }

    /**
     * Adds a receive branch with a disconnect handler: {@code onDisconnected} runs when the
     * branch is chosen because {@code rx} is disconnected and empty.
     *
     * @param <T> the type of the messages
     * @param rx the receiver, not null
     * @param onMessage what to do with the message, not null
     * @param onDisconnected what to return when {@code rx} is disconnected and empty, not null
     * @return this select
     */
    public <T> Select<R> recv(Receiver<T> rx, Function<? super T, ? extends R> onMessage,
            Supplier<? extends R> onDisconnected) {
        Objects.requireNonNull(onMessage, "onMessage");
        Objects.requireNonNull(onDisconnected, "onDisconnected");
        return addRecv(rx, onMessage, onDisconnected);
    }

    @SuppressWarnings("unchecked")
    private <T> Select<R> addRecv(Receiver<T> rx, Function<? super T, ? extends R> onMessage,
            Supplier<? extends R> onDisconnected) {
        Objects.requireNonNull(rx, "rx");
        selector.add(rx.chan().flavor, false, rx.handle(), null);
        branches.add(new Branch<>((Function<Object, ? extends R>) onMessage, null, onDisconnected, rx));
        return this;
    }

    /**
     * Adds a send branch: when chosen, it sends {@code message} into {@code tx} and returns
     * {@code onSent}'s result. If every receiver of {@code tx}'s channel is closed, choosing the
     * branch throws {@link DisconnectedException} carrying {@code message}.
     *
     * @param <T> the type of the messages
     * @param tx the sender, not null
     * @param message the message to send, not null
     * @param onSent what to return once the message is sent, not null
     * @return this select
     */
    public <T> Select<R> send(Sender<T> tx, T message, Supplier<? extends R> onSent) {
        Objects.requireNonNull(onSent, "onSent");
        return addSend(tx, message, onSent, null);
    }

    /**
     * Adds a send branch with a disconnect handler: {@code onDisconnected} runs when the branch is
     * chosen because every receiver of {@code tx}'s channel is closed (the message is not sent).
     *
     * @param <T> the type of the messages
     * @param tx the sender, not null
     * @param message the message to send, not null
     * @param onSent what to return once the message is sent, not null
     * @param onDisconnected what to return when the channel is disconnected, not null
     * @return this select
     */
    public <T> Select<R> send(Sender<T> tx, T message, Supplier<? extends R> onSent,
            Supplier<? extends R> onDisconnected) {
        Objects.requireNonNull(onSent, "onSent");
        Objects.requireNonNull(onDisconnected, "onDisconnected");
        return addSend(tx, message, onSent, onDisconnected);
    }

    private <T> Select<R> addSend(Sender<T> tx, T message, Supplier<? extends R> onSent,
            Supplier<? extends R> onDisconnected) {
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(message, "message");
        selector.add(tx.chan().flavor, true, tx.handle(), message);
        branches.add(new Branch<>(null, onSent, onDisconnected, tx));
        return this;
    }

    /**
     * Blocks until one branch completes, runs its handler and returns its result (which may be
     * {@code null}).
     *
     * @return the chosen branch's handler result
     * @throws InterruptedException if interrupted before or while waiting; no branch completed
     * @throws IllegalStateException if there are no branches (it could never return), or a
     *     branch's handle is closed
     * @throws DisconnectedException if the chosen branch's channel is disconnected and it has no
     *     disconnect handler
     */
    public R select() throws InterruptedException {
        if (branches.isEmpty()) {
            throw new IllegalStateException("select() with no branches would block for ever");
        }
        ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return finish(selector.select(true, Deadlines.NONE));
    }

    /**
     * Completes a branch that is ready now, without blocking.
     *
     * @return the chosen branch's handler result, or empty if no branch is ready
     * @throws IllegalStateException if a branch's handle is closed
     * @throws DisconnectedException if the chosen branch's channel is disconnected and it has no
     *     disconnect handler
     * @throws NullPointerException if the chosen handler returns null (its operation completed)
     */
    public Optional<R> trySelect() {
        ensureOpen();
        try {
            return wrap(finish(selector.select(false, Deadlines.NONE)));
        } catch (InterruptedException impossible) {
            throw new AssertionError("a non-blocking select cannot be interrupted", impossible);
        }
    }

    /**
     * Waits up to {@code timeout} for one branch to complete. {@link Duration#ZERO} or a negative
     * timeout only completes a branch that is ready now; a timeout too long to represent waits
     * without limit. With no branches it returns empty after the timeout.
     *
     * @param timeout how long to wait at most, not null
     * @return the chosen branch's handler result, or empty if the time ran out
     * @throws InterruptedException if interrupted before or while waiting; no branch completed
     * @throws IllegalStateException if a branch's handle is closed
     * @throws DisconnectedException if the chosen branch's channel is disconnected and it has no
     *     disconnect handler
     * @throws NullPointerException if {@code timeout} is null, or the chosen handler returns null
     *     (its operation completed)
     */
    public Optional<R> select(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        ensureOpen();
        long nanos = Deadlines.toNanos(timeout);
        if (nanos == 0) {
            return trySelect();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = Deadlines.after(nanos);
        if (branches.isEmpty()) {
            sleepUntil(deadline);
            return Optional.empty();
        }
        return wrap(finish(selector.select(true, deadline)));
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        if (deadline == Deadlines.NONE) {
            throw new IllegalStateException("select(timeout) with no branches and no time limit would block for ever");
        }
        long left;
        while ((left = Deadlines.remaining(deadline)) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** The result of {@link Selector#select} as the handler's result; {@link #NO_RESULT} for none. */
    @SuppressWarnings("unchecked")
    private R finish(int r) {
        if (r == Selector.NONE) {
            return (R) NO_RESULT;
        }
        if (r == Selector.CLOSED) {
            ensureOpen();
            throw new IllegalStateException("a branch's handle was closed while the select waited");
        }
        int i = r >>> 1;
        Branch<R> b = branches.get(i);
        boolean disconnected = (r & 1) != 0;
        boolean send = b.onSent != null;
        if (disconnected) {
            if (b.onDisconnected != null) {
                return b.onDisconnected.get();
            }
            throw send
                    ? new DisconnectedException("select: send branch " + i + " on a disconnected channel: "
                            + ((Sender<?>) b.handleObject).chan(), selector.message(i))
                    : new DisconnectedException("select: receive branch " + i + " on an empty and disconnected channel: "
                            + ((Receiver<?>) b.handleObject).chan(), null);
        }
        return send ? b.onSent.get() : b.onMessage.apply(selector.takeReceived());
    }

    private static final Object NO_RESULT = new Object();

    private Optional<R> wrap(R result) {
        if (result == NO_RESULT) {
            return Optional.empty();
        }
        if (result == null) {
            throw new NullPointerException("the chosen branch's handler returned null, which an Optional cannot hold"
                    + " (its operation did complete); use select() to get null results");
        }
        return Optional.of(result);
    }

    private void ensureOpen() {
        for (Branch<R> b : branches) {
            if (b.handleObject instanceof Sender) {
                ((Sender<?>) b.handleObject).ensureOpen();
            } else {
                ((Receiver<?>) b.handleObject).ensureOpen();
            }
        }
    }

}
