package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timer channels {@link Channels#after}, {@link Channels#tick} and {@link Channels#never}
 * (API.md, "Creating channels" and "Timer details"), alone and as {@link Select} branches.
 *
 * <p>Time bounds: a timer must never deliver early (checked exactly against {@link System#nanoTime}
 * taken before the timer was created), and may be late by at most {@link #LATE} (generous: the
 * machine is shared). The {@link Instant} a timer delivers is the scheduled time, so it is checked
 * against the window of {@link Instant#now()} around the timer's creation, within {@link #CLOCK}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How late a timer may deliver on a loaded machine. */
    private static final Duration LATE = Duration.ofMillis(1500);
    /** Tolerance between the wall clock read around a timer's creation and the instant it reports. */
    private static final Duration CLOCK = Duration.ofMillis(3);

    /** The clocks read just before and just after a timer's creation. */
    private static final class Window {
        final long nanosBefore;
        final Instant before;
        long nanosAfter;
        Instant after;

        Window() {
            nanosBefore = System.nanoTime();
            before = Instant.now();
        }

        Window close() {
            after = Instant.now();
            nanosAfter = System.nanoTime();
            return this;
        }

        /** Asserts that {@code t} is {@code offset} after the creation instant, within {@link #CLOCK}. */
        void assertAt(Instant t, Duration offset) {
            assertThat(t).isBetween(before.plus(offset).minus(CLOCK), after.plus(offset).plus(CLOCK));
        }
    }

    // ---- after ----------------------------------------------------------------------------------

    /** after(d) delivers exactly once, not before d, about d after creation, and the instant delivered is creation + d. */
    @Test
    void afterDeliversOnceAtItsScheduledInstant() throws Exception {
        Duration d = Duration.ofMillis(60);
        Window w = new Window();
        Receiver<Instant> rx = Channels.after(d);
        w.close();
        assertThat(rx.capacity()).isEqualTo(OptionalInt.of(1));
        Instant early = rx.tryRecv();
        boolean checkedBeforeDue = System.nanoTime() - w.nanosBefore < d.toNanos();
        if (checkedBeforeDue) {
            assertThat(early).as("after(%s) delivered early", d).isNull();
            assertThat(rx.isEmpty()).isTrue();
        }

        Instant t = early != null ? early : rx.recv();
        long gotAt = System.nanoTime();
        assertThat(gotAt - w.nanosBefore).as("never early").isGreaterThanOrEqualTo(d.toNanos());
        assertThat(Duration.ofNanos(gotAt - w.nanosAfter)).as("not much late").isLessThanOrEqualTo(d.plus(LATE));
        w.assertAt(t, d);

        assertThat(rx.tryRecv()).as("only one message").isNull();
        assertThat(rx.tryRecv(Duration.ofMillis(50))).as("only one message").isNull();
        assertThat(rx.isEmpty()).isTrue();
        assertThat(rx.size()).isZero();
        assertThat(rx.waiterCount()).isZero();
    }

    /** The instant after(d) delivers is the time it was due, not the time it was received. */
    @Test
    void afterDeliversTheScheduledTimeEvenWhenReceivedLate() throws Exception {
        Duration d = Duration.ofMillis(20);
        Window w = new Window();
        Receiver<Instant> rx = Channels.after(d);
        w.close();
        Thread.sleep(150);
        assertThat(rx.isFull()).as("due and not yet received: holds its one message").isTrue();
        assertThat(rx.size()).isEqualTo(1);
        Instant t = rx.tryRecv();
        w.assertAt(t, d);
        assertThat(t).isBefore(Instant.now().minusMillis(100));
    }

    /** after(ZERO) and after(negative) are ready at once and deliver the creation instant, once. */
    @ParameterizedTest
    @ValueSource(longs = {0, -1, -5_000})
    void afterZeroOrNegativeIsReadyAtOnce(long millis) throws Exception {
        Window w = new Window();
        Receiver<Instant> rx = Channels.after(Duration.ofMillis(millis));
        w.close();
        assertThat(rx.isEmpty()).isFalse();
        assertThat(rx.isFull()).isTrue();
        Instant t = rx.tryRecv();
        assertThat(t).isNotNull();
        w.assertAt(t, Duration.ZERO);
        assertThat(rx.tryRecv()).isNull();
        assertThat(rx.isEmpty()).isTrue();
    }

    /** Of several threads receiving through clones of one after() receiver, exactly one gets its message. */
    @Test
    void afterDeliversToExactlyOneOfSeveralReceivers() throws Exception {
        for (int round = 0; round < 10; round++) {
            Receiver<Instant> rx = Channels.after(Duration.ofMillis(15));
            List<Bg<Instant>> receivers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Receiver<Instant> mine = rx.clone();
                receivers.add(Bg.start("after-receiver-" + i, () -> mine.tryRecv(Duration.ofMillis(80))));
            }
            int got = 0;
            for (Bg<Instant> r : receivers) {
                if (r.get() != null) {
                    got++;
                }
            }
            assertThat(got).as("round %d: receivers that got the one message", round).isEqualTo(1);
        }
    }

    // ---- tick -----------------------------------------------------------------------------------

    /**
     * tick(d) delivers on the fixed grid creation + k*d: over 50 periods every delivered instant is
     * exactly a whole number of periods after the previous one (no drift), never early, and
     * received not much after it was due.
     */
    @Test
    void tickDeliversOnAFixedGridWithoutDrift() throws Exception {
        Duration d = Duration.ofMillis(10);
        long p = d.toNanos();
        Window w = new Window();
        Receiver<Instant> tick = Channels.tick(d);
        w.close();
        List<Instant> instants = new ArrayList<>();
        List<Long> receivedAt = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            instants.add(tick.recv());
            receivedAt.add(System.nanoTime());
        }
        // The first tick is one period after creation.
        w.assertAt(instants.get(0), d);
        long steps = 1;
        for (int i = 1; i < instants.size(); i++) {
            long gap = Duration.between(instants.get(i - 1), instants.get(i)).toNanos();
            assertThat(gap).as("gap between ticks %d and %d", i - 1, i).isPositive();
            assertThat(gap % p).as("gap %d ns between ticks %d and %d is a whole number of periods", gap, i - 1, i)
                    .isZero();
            steps += gap / p;
            // Tick i is due at creation + steps * d: never received before that, and not much after.
            assertThat(receivedAt.get(i) - w.nanosBefore).as("tick %d early", i).isGreaterThanOrEqualTo(steps * p);
            assertThat(Duration.ofNanos(receivedAt.get(i) - w.nanosAfter - steps * p)).as("tick %d late", i)
                    .isLessThanOrEqualTo(LATE);
        }
        // No drift: the last instant is exactly on the grid of the first.
        w.assertAt(instants.get(instants.size() - 1), d.multipliedBy(steps));
        assertThat(steps).as("grid steps covered by 50 ticks (missed ones skipped)").isBetween(50L, 50L + 150L);
    }

    /** Ticks missed while nobody receives are not queued: after 5 idle periods one tick is ready, then the next receive waits for the next grid point. */
    @Test
    void missedTicksAreNotQueued() throws Exception {
        Duration d = Duration.ofMillis(20);
        long p = d.toNanos();
        Receiver<Instant> tick = Channels.tick(d);
        Instant first = tick.recv();
        Thread.sleep(d.multipliedBy(5).toMillis());
        Instant missed = tick.tryRecv();
        assertThat(missed).as("a tick fell during the sleep: one is ready").isNotNull();
        long gap = Duration.between(first, missed).toNanos();
        assertThat(gap).isPositive();
        assertThat(gap % p).as("on the grid").isZero();
        // The next tick is a fresh one, due after the sleep, not a queued missed one: normally the
        // channel is empty now and the next receive waits for the next grid point (if this thread
        // was descheduled past that point, tryRecv already finds that fresh tick).
        Instant again = tick.tryRecv();
        long start = System.nanoTime();
        Instant next = again != null ? again : tick.recv();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(d.plus(LATE));
        long nextGap = Duration.between(first, next).toNanos();
        assertThat(nextGap % p).as("on the grid").isZero();
        assertThat(nextGap)
                .as("time from the first tick to the one after the missed one%s (under 5 periods: a queued missed tick)",
                        again != null ? ", which was ready at once" : "")
                .isGreaterThanOrEqualTo(5 * p);
    }

    /** tick(ZERO) and tick(negative) are ready at every receive, with non-decreasing instants. */
    @ParameterizedTest
    @ValueSource(longs = {0, -10})
    void tickZeroIsReadyAtEveryReceive(long millis) throws Exception {
        Receiver<Instant> tick = Channels.tick(Duration.ofMillis(millis));
        Instant prev = Instant.MIN;
        for (int i = 0; i < 1_000; i++) {
            Instant t = tick.tryRecv();
            assertThat(t).as("receive #%d", i).isNotNull();
            assertThat(t).isAfterOrEqualTo(prev);
            prev = t;
        }
        long start = System.nanoTime();
        assertThat(tick.recv()).isNotNull();
        assertThat(tick.tryRecv(Duration.ofSeconds(5))).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(tick.isEmpty()).isFalse();
    }

    // ---- never ----------------------------------------------------------------------------------

    /** never() never delivers and never disconnects: tryRecv null, timed receive null after its timeout, empty and full, capacity 0, one channel for all. */
    @Test
    void neverNeverDeliversAndNeverDisconnects() throws Exception {
        Receiver<String> never = Channels.never();
        // The one never() channel is shared by the whole JVM: count waiters relative to now.
        int base = never.waiterCount();
        assertThat(never.tryRecv()).isNull();
        long start = System.nanoTime();
        assertThat(never.tryRecv(Duration.ofMillis(50))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(50), Duration.ofMillis(50).plus(LATE));
        assertThat(never.isEmpty()).isTrue();
        assertThat(never.isFull()).isTrue();
        assertThat(never.size()).isZero();
        assertThat(never.capacity()).isEqualTo(OptionalInt.of(0));
        assertThat(never.isDisconnected()).isFalse();
        assertThat(never.tryIter()).isEmpty();
        assertThat(never.waiterCount()).as("the timed receive unregistered").isEqualTo(base);

        Receiver<Integer> other = Channels.never();
        Receiver<String> clone = never.clone();
        assertThat(never.sameChannel(other)).isTrue();
        assertThat(other.sameChannel(never)).isTrue();
        assertThat(never.sameChannel(clone)).isTrue();
        assertThat(never.sameChannel(Channels.<String>unbounded().receiver())).isFalse();

        clone.close();
        other.close();
        assertThat(never.isDisconnected()).as("closing other never() handles disconnects nothing").isFalse();
        assertThat(never.tryRecv()).isNull();
        Receiver<String> fresh = Channels.never();
        assertThat(fresh.isDisconnected()).isFalse();

        // A blocking receive stays blocked (no message, no disconnection) until interrupted.
        Bg<String> bg = Bg.start("never-recv", never::recv);
        awaitCondition("the receive blocks", () -> never.waiterCount() > base);
        Thread.sleep(100);
        assertThat(bg.isDone()).isFalse();
        bg.thread.interrupt();
        assertThatThrownBy(bg::get).isInstanceOf(InterruptedException.class);
        assertThat(never.waiterCount()).isEqualTo(base);
    }

    // ---- disconnection and closing --------------------------------------------------------------

    /** Timers never disconnect: closing clones leaves the others connected, and an exhausted after() reports "empty", not disconnection. */
    @Test
    void timersNeverDisconnect() throws Exception {
        List<Supplier<Receiver<Instant>>> makers = List.of(
                () -> Channels.after(Duration.ZERO), () -> Channels.after(Duration.ofHours(1)),
                () -> Channels.tick(Duration.ofHours(1)), () -> Channels.tick(Duration.ZERO), Channels::never);
        for (Supplier<Receiver<Instant>> make : makers) {
            Receiver<Instant> rx = make.get();
            Receiver<Instant> c1 = rx.clone();
            Receiver<Instant> c2 = c1.clone();
            assertThat(rx.isDisconnected()).isFalse();
            c1.close();
            c2.close();
            assertThat(rx.isDisconnected()).as("%s after closing its clones", rx).isFalse();
            assertThat(c1.isDisconnected()).isFalse();
        }

        Receiver<Instant> after = Channels.after(Duration.ZERO);
        assertThat(after.tryRecv()).isNotNull();
        assertThat(after.tryRecv()).isNull();
        assertThat(after.tryRecv(Duration.ofMillis(20))).isNull();
        Optional<String> r = new Select<String>()
                .recv(after, t -> "message", () -> "disconnected")
                .select(Duration.ofMillis(30));
        assertThat(r).as("an exhausted after() is not ready, not disconnected").isEmpty();
        assertThat(after.isDisconnected()).isFalse();
    }

    /** A thread blocked on a timer through a handle that another thread closes is woken with IllegalStateException (receive and select). */
    @Test
    void blockedOnATimerThroughAClosedHandleThrowsIllegalState() throws Exception {
        List<Supplier<Receiver<Instant>>> makers = List.of(
                () -> Channels.after(Duration.ofHours(1)), () -> Channels.tick(Duration.ofHours(1)), Channels::never);
        for (Supplier<Receiver<Instant>> make : makers) {
            for (int form = 0; form < 3; form++) {
                Receiver<Instant> rx = make.get();
                Receiver<Instant> handle = rx.clone();
                int f = form;
                int base = rx.waiterCount(); // 0, except for the JVM-wide never() channel
                Bg<Object> bg = Bg.start("timer-wait", () -> {
                    switch (f) {
                        case 0:
                            return handle.recv();
                        case 1:
                            return handle.tryRecv(Duration.ofMinutes(1));
                        default:
                            return new Select<Object>().recv(handle, t -> t).select();
                    }
                });
                awaitCondition(rx + " form " + form + " blocks", () -> rx.waiterCount() > base);
                handle.close();
                assertThatThrownBy(bg::get).as("%s form %d", rx, form).isInstanceOf(IllegalStateException.class);
                assertThat(rx.waiterCount()).isEqualTo(base);
                assertThat(rx.isDisconnected()).isFalse();
            }
        }
    }

    // ---- timers in select -----------------------------------------------------------------------

    /** after() as a select time-out: with nothing else ready the select returns the time-out branch at about d; a message that comes first wins, and the timer still fires later, once. */
    @Test
    void afterAsASelectTimeout() throws Exception {
        Channel<String> work = Channels.unbounded();
        Duration d = Duration.ofMillis(100);
        long start = System.nanoTime();
        Receiver<Instant> timeout = Channels.after(d);
        String r = new Select<String>()
                .recv(work.receiver(), m -> "work " + m)
                .recv(timeout, t -> "timeout")
                .select();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r).isEqualTo("timeout");
        assertThat(elapsed).isBetween(d, d.plus(LATE));
        assertThat(work.receiver().waiterCount()).isZero();
        assertThat(timeout.waiterCount()).isZero();

        Receiver<Instant> timeout2 = Channels.after(Duration.ofMillis(300));
        Select<String> sel = new Select<String>()
                .recv(work.receiver(), m -> "work " + m)
                .recv(timeout2, t -> "timeout");
        Bg<String> bg = Bg.start("select", sel::select);
        awaitCondition("the select blocks", () -> work.receiver().waiterCount() >= 1);
        assertThat(work.sender().trySend("w")).isTrue();
        assertThat(bg.get()).isEqualTo("work w");
        assertThat(sel.select()).as("the time-out still fires").isEqualTo("timeout");
        assertThat(sel.select(Duration.ofMillis(50))).as("and only once").isEmpty();
    }

    /**
     * tick() as a heartbeat: a worker selecting over a work channel and tick(d) gets every work item
     * and a heartbeat about every d (not more than the elapsed periods, on the grid), ending on the
     * work channel's disconnection.
     */
    @Test
    void tickAsASelectHeartbeat() throws Exception {
        Duration d = Duration.ofMillis(20);
        Channel<Integer> work = Channels.bounded(4);
        Receiver<Instant> heartbeat = Channels.tick(d);
        long start = System.nanoTime();
        Bg<Integer> producer = Bg.start("producer", () -> {
            try (Sender<Integer> tx = work.sender()) {
                for (int i = 0; i < 40; i++) {
                    tx.send(i);
                    Thread.sleep(5);
                }
            }
            return 40;
        });
        List<Integer> items = new ArrayList<>();
        List<Instant> beats = new ArrayList<>();
        Select<Boolean> sel = new Select<Boolean>()
                .recv(work.receiver(), m -> items.add(m), () -> false)
                .recv(heartbeat, t -> beats.add(t));
        while (sel.select()) {
            // keep serving
        }
        long elapsed = System.nanoTime() - start;
        assertThat(producer.get()).isEqualTo(40);
        assertThat(items).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(items.get(i)).isEqualTo(i);
        }
        assertThat(beats.size()).as("heartbeats over %d ms", elapsed / 1_000_000)
                .isBetween(2, (int) (elapsed / d.toNanos()) + 1);
        for (int i = 1; i < beats.size(); i++) {
            long gap = Duration.between(beats.get(i - 1), beats.get(i)).toNanos();
            assertThat(gap).isPositive();
            assertThat(gap % d.toNanos()).isZero();
        }

        // A select waiting only on a tick wakes by itself when the tick is due: no other thread is involved.
        Receiver<Instant> slow = Channels.tick(Duration.ofMillis(30));
        long t0 = System.nanoTime();
        Optional<Instant> beat = new Select<Instant>().recv(slow, t -> t).select(Duration.ofSeconds(5));
        assertThat(beat).isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThanOrEqualTo(Duration.ofMillis(30).plus(LATE));
        assertThat(slow.waiterCount()).isZero();
    }

    /** Timers need no thread: creating 20,000 of them, and receiving from a few, starts no threads. */
    @Test
    void timersNeedNoThread() throws Exception {
        int before = Thread.getAllStackTraces().size();
        List<Receiver<Instant>> timers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            timers.add(Channels.after(Duration.ofMillis(1 + i % 50)));
            timers.add(Channels.tick(Duration.ofMillis(1 + i % 50)));
        }
        assertThat(timers.get(0).recv()).isNotNull();
        assertThat(timers.get(1).recv()).isNotNull();
        int after = Thread.getAllStackTraces().size();
        assertThat(after - before).as("threads started for 20,000 timers").isLessThan(10);
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + PATIENCE + " waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** A task on its own daemon thread; {@link #get} waits a bounded time and rethrows the task's exception. */
    static final class Bg<V> {
        final Thread thread;
        private final FutureTask<V> task;

        private Bg(String name, Callable<V> body) {
            task = new FutureTask<>(body);
            thread = Thread.ofPlatform().daemon(true).name(name).unstarted(task);
            thread.start();
        }

        static <V> Bg<V> start(String name, Callable<V> body) {
            return new Bg<>(name, body);
        }

        boolean isDone() {
            return task.isDone();
        }

        V get() throws Exception {
            try {
                return task.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw (Error) cause;
            } catch (TimeoutException e) {
                AssertionError err = new AssertionError("task " + thread.getName() + " did not finish within " + PATIENCE);
                Throwable where = new Throwable("stack of " + thread.getName());
                where.setStackTrace(thread.getStackTrace());
                err.addSuppressed(where);
                throw err;
            }
        }
    }
}
