package dev.conduit;

import dev.conduit.internal.Chan;
import dev.conduit.internal.Flavor;
import dev.conduit.internal.flavor.ArrayFlavor;
import dev.conduit.internal.flavor.AtFlavor;
import dev.conduit.internal.flavor.ListFlavor;
import dev.conduit.internal.flavor.NeverFlavor;
import dev.conduit.internal.flavor.TickFlavor;
import dev.conduit.internal.flavor.ZeroFlavor;
import dev.conduit.internal.wait.Deadlines;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Creates channels: unbounded, bounded, rendezvous, and the timer receivers.
 *
 * <pre>{@code
 * Channel<String> ch = Channels.unbounded();
 * try (Sender<String> tx = ch.sender()) {
 *     new Thread(() -> {
 *         try (tx) {
 *             tx.send("a perfectly baked croissant");
 *         } catch (InterruptedException e) {
 *             Thread.currentThread().interrupt();
 *         }
 *     }).start();
 * }
 * for (String m : ch.receiver()) {    // ends once the sender is closed and all is received
 *     System.out.println(m);
 * }
 * }</pre>
 *
 * <p>Rust's {@code mpsc::channel()} is {@link #unbounded()}, {@code mpsc::sync_channel(n)} is
 * {@link #bounded(int) bounded(n)}; crossbeam's {@code after}, {@code tick} and {@code never} are
 * the methods of the same names.
 */
public final class Channels {

    private static final Chan<Instant> NEVER = new Chan<>(new NeverFlavor(), "never", 1, 1);

    private Channels() {
    }

    /**
     * A channel with no capacity limit: sends never block (Rust's {@code mpsc::channel}).
     * Messages are stored in linked blocks of 63; memory grows with what is buffered.
     *
     * @param <T> the type of the messages
     * @return a new channel
     */
    public static <T> Channel<T> unbounded() {
        return open(new ListFlavor<>(), "unbounded");
    }

    /**
     * A channel that buffers at most {@code capacity} messages; {@code send} blocks while it is full
     * (Rust's {@code mpsc::sync_channel}). With capacity 0 it is a rendezvous channel: each send
     * waits until a receiver takes its message, and {@code trySend} succeeds only if a receiver is
     * already waiting.
     *
     * <p>Capacities up to 65,536 use a ring buffer allocated up front, which allocates nothing per
     * message; larger ones (up to {@link Integer#MAX_VALUE}) use linked blocks allocated as
     * messages arrive, so a huge capacity costs nothing until it is used.
     *
     * @param <T> the type of the messages
     * @param capacity how many messages may wait in the channel, 0 for a rendezvous
     * @return a new channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0 (0 = rendezvous), got " + capacity);
        }
        String kind = "bounded(" + capacity + ")";
        if (capacity == 0) {
            return open(new ZeroFlavor<>(), kind);
        }
        if (capacity <= ArrayFlavor.MAX_CAPACITY) {
            return open(new ArrayFlavor<>(capacity), kind);
        }
        return open(new ListFlavor<>(capacity, ListFlavor.DEFAULT_LAP), kind);
    }

    /**
     * A receiver that delivers one message, the instant it was due, once {@code delay} has passed;
     * after that it stays empty. It never disconnects, has capacity 1, and needs no thread.
     * A zero or negative delay is ready at once.
     *
     * <pre>{@code
     * Optional<String> r = new Select<String>()
     *     .recv(replies, m -> m)
     *     .recv(Channels.after(Duration.ofSeconds(1)), t -> "timed out")
     *     .trySelect();
     * }</pre>
     *
     * @param delay how long until the message is due
     * @return a new timer receiver
     */
    public static Receiver<Instant> after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return timer(new AtFlavor(Deadlines.toNanos(delay)), "after(" + delay + ")");
    }

    /**
     * A receiver that delivers a message every {@code period}: the instant each tick was due, on a
     * fixed schedule that does not drift. Capacity 1: ticks that fall while one waits to be
     * received are dropped, not queued. It never disconnects and needs no thread. A zero or
     * negative period is ready at every receive.
     *
     * @param period the time between ticks
     * @return a new timer receiver
     */
    public static Receiver<Instant> tick(Duration period) {
        Objects.requireNonNull(period, "period");
        return timer(new TickFlavor(Deadlines.toNanos(period)), "tick(" + period + ")");
    }

    /**
     * A receiver that never delivers and never disconnects: capacity 0, always empty and full.
     * Useful to switch off a {@link Select} branch. All {@code never()} receivers are the same
     * channel for {@link Receiver#sameChannel}.
     *
     * @param <T> the type the receiver pretends to carry
     * @return a receiver handle on the one "never" channel
     */
    @SuppressWarnings("unchecked")
    public static <T> Receiver<T> never() {
        Chan<T> never = (Chan<T>) (Chan<?>) NEVER;
        never.acquire(false); // the channel holds one count of its own, so this never fails
        return new Receiver<>(never);
    }

    private static <T> Channel<T> open(Flavor<T> flavor, String kind) {
        Chan<T> chan = new Chan<>(flavor, kind, 1, 1);
        return new Channel<>(new Sender<>(chan), new Receiver<>(chan));
    }

    private static Receiver<Instant> timer(Flavor<Instant> flavor, String kind) {
        // One sender that is never closed, the clock: a timer never disconnects.
        return new Receiver<>(new Chan<>(flavor, kind, 1, 1));
    }
}
