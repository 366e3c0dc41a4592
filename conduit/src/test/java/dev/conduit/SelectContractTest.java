package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of {@link Select} (API.md, "Select"): branches over every flavor, the three select
 * forms, exactly one operation per call, rendezvous pairing rules, disconnection, interrupts,
 * handlers, and the odd cases (no branches, null results, closed handles, reuse).
 *
 * <p>Every test that can block carries a {@link Timeout} (the class-level one, unless it says
 * otherwise), in a separate thread, so that a hang fails the test instead of the build.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectContractTest {

    /** Upper bound for something that must happen soon (2 shared cores: generous). */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** Slack allowed past a deadline before a timed select counts as "late". */
    private static final Duration LATE = Duration.ofMillis(1500);

    /** The channel flavors a branch can name (the timers have their own tests below). */
    enum Kind {
        RENDEZVOUS(0), BOUNDED_1(1), BOUNDED_16(16), UNBOUNDED(-1);

        final int capacity;

        Kind(int capacity) {
            this.capacity = capacity;
        }

        <T> Channel<T> make() {
            return capacity < 0 ? Channels.unbounded() : Channels.bounded(capacity);
        }

        boolean rendezvous() {
            return capacity == 0;
        }

        boolean unbounded() {
            return capacity < 0;
        }
    }

    // ---- branches over every flavor -------------------------------------------------------------

    /** A select blocked on a receive branch of any flavor completes with the message once one is sent, and unregisters. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void blockedReceiveBranchCompletesWhenAMessageArrives(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        Channel<String> idle = Channels.unbounded();
        Select<String> sel = new Select<String>()
                .recv(ch.receiver(), m -> "got " + m)
                .recv(idle.receiver(), m -> "idle " + m);
        Bg<String> bg = Bg.start("select", sel::select);
        awaitCondition("the select registers on " + kind, () -> ch.receiver().waiterCount() >= 1);
        assertThat(bg.isDone()).as("select with nothing ready must block").isFalse();

        assertThat(ch.sender().trySend("x", PATIENCE)).isTrue();

        assertThat(bg.get()).isEqualTo("got x");
        assertThat(ch.receiver().tryRecv()).isNull();
        assertNoWaiters(ch.receiver(), idle.receiver());
    }

    /** A select blocked on a send branch of any bounded flavor completes once there is room (or a receiver), and sends exactly its message. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RENDEZVOUS", "BOUNDED_1", "BOUNDED_16"})
    void blockedSendBranchCompletesWhenRoomAppears(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        fill(ch.sender(), kind);
        Channel<String> idle = Channels.unbounded();
        Select<String> sel = new Select<String>()
                .send(ch.sender(), "x", () -> "sent")
                .recv(idle.receiver(), m -> "idle " + m);
        Bg<String> bg = Bg.start("select", sel::select);
        awaitCondition("the select registers on " + kind, () -> ch.sender().waiterCount() >= 1);
        assertThat(bg.isDone()).as("select with nothing ready must block").isFalse();

        List<String> got = new ArrayList<>();
        got.add(ch.receiver().tryRecv(PATIENCE)); // makes room, or meets the select (rendezvous)
        assertThat(bg.get()).isEqualTo("sent");
        String m;
        while ((m = ch.receiver().tryRecv()) != null) {
            got.add(m);
        }
        List<String> expected = new ArrayList<>(fillers(kind));
        expected.add("x");
        assertThat(got).containsExactlyElementsOf(expected);
        assertNoWaiters(ch.receiver(), idle.receiver());
    }

    /** trySelect and select(ZERO) complete a ready receive branch and return empty, touching nothing, when none is ready. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void trySelectReceivesWhenReadyAndIsEmptyOtherwise(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        Select<String> sel = new Select<String>().recv(ch.receiver(), m -> "got " + m);
        assertThat(sel.trySelect()).isEmpty();
        assertThat(sel.select(Duration.ZERO)).isEmpty();
        assertThat(sel.select(Duration.ofMillis(-5))).isEmpty();

        for (int round = 0; round < 2; round++) {
            boolean viaTrySelect = round == 0;
            Bg<Boolean> sender = null;
            if (kind.rendezvous()) {
                sender = Bg.start("sender", () -> ch.sender().trySend("a", PATIENCE));
                awaitCondition("the sender blocks", () -> ch.sender().waiterCount() >= 1);
            } else {
                assertThat(ch.sender().trySend("a")).isTrue();
            }
            Optional<String> r = viaTrySelect ? sel.trySelect() : sel.select(Duration.ZERO);
            assertThat(r).contains("got a");
            if (sender != null) {
                assertThat(sender.get()).isTrue();
            }
            assertThat(sel.trySelect()).as("the one message is gone").isEmpty();
        }
        assertNoWaiters(ch.receiver());
    }

    /** trySelect completes a send branch that can send now, and returns empty, sending nothing, when it cannot. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void trySelectSendsWhenReadyAndIsEmptyOtherwise(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        Select<String> sel = new Select<String>().send(ch.sender(), "x", () -> "sent");
        if (kind.unbounded()) {
            assertThat(sel.trySelect()).contains("sent");
            assertThat(ch.receiver().tryRecv()).isEqualTo("x");
            return;
        }
        fill(ch.sender(), kind);
        assertThat(sel.trySelect()).as("full, or no receiver waiting").isEmpty();
        assertThat(sel.select(Duration.ZERO)).isEmpty();
        assertThat(ch.receiver().size()).isEqualTo(kind.capacity);

        if (kind.rendezvous()) {
            Bg<String> receiver = Bg.start("receiver", () -> ch.receiver().tryRecv(PATIENCE));
            awaitCondition("the receiver blocks", () -> ch.receiver().waiterCount() >= 1);
            assertThat(sel.trySelect()).contains("sent");
            assertThat(receiver.get()).isEqualTo("x");
        } else {
            assertThat(ch.receiver().tryRecv()).isEqualTo("0");
            assertThat(sel.trySelect()).contains("sent");
            assertThat(sel.trySelect()).as("full again").isEmpty();
            List<String> rest = new ArrayList<>();
            ch.receiver().drainTo(rest, Integer.MAX_VALUE);
            List<String> expected = new ArrayList<>(fillers(kind).subList(1, kind.capacity));
            expected.add("x");
            assertThat(rest).containsExactlyElementsOf(expected);
        }
        assertNoWaiters(ch.receiver());
    }

    /** Timer receivers work as branches: after(ZERO) and tick(ZERO) are ready, after(1h) and never() are not, and a blocked select wakes when an after fires. */
    @Test
    void timerReceiversWorkAsBranches() throws Exception {
        Instant before = Instant.now();
        assertThat(new Select<Instant>().recv(Channels.after(Duration.ZERO), t -> t).trySelect())
                .hasValueSatisfying(t -> assertThat(t).isBetween(before.minusMillis(5), Instant.now().plusMillis(5)));
        assertThat(new Select<Instant>().recv(Channels.tick(Duration.ZERO), t -> t).trySelect()).isPresent();
        assertThat(new Select<Instant>().recv(Channels.after(Duration.ofHours(1)), t -> t).trySelect()).isEmpty();
        assertThat(new Select<Instant>().recv(Channels.<Instant>never(), t -> t).trySelect()).isEmpty();

        long start = System.nanoTime(); // before the timer's creation: it fires 40 ms after this at the earliest
        Receiver<Instant> after = Channels.after(Duration.ofMillis(40));
        Receiver<Instant> never = Channels.never();
        String r = new Select<String>()
                .recv(never, t -> "never")
                .recv(after, t -> "fired")
                .select();
        long elapsed = System.nanoTime() - start;
        assertThat(r).isEqualTo("fired");
        assertThat(Duration.ofNanos(elapsed)).isBetween(Duration.ofMillis(40), Duration.ofMillis(40).plus(LATE));
        assertNoWaiters(after, never);
    }

    // ---- deadlines and leaks --------------------------------------------------------------------

    /** select(timeout) with nothing ready returns empty no earlier than its deadline and not much later, and leaves no waiter on any channel. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedSelectReturnsEmptyNearItsDeadlineAndLeavesNoWaiter(Kind kind) throws Exception {
        Channel<String> empty = kind.make();
        Channel<String> full = kind.make();
        fill(full.sender(), kind);
        Receiver<String> never = Channels.never();
        Receiver<Instant> later = Channels.after(Duration.ofHours(1));
        Select<String> sel = new Select<String>()
                .recv(empty.receiver(), m -> "recv " + m)
                .recv(never, m -> "never")
                .recv(later, t -> "later");
        if (!kind.unbounded()) {
            sel.send(full.sender(), "x", () -> "sent");
        }
        Duration timeout = Duration.ofMillis(150);
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Optional<String> r = sel.select(timeout);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r).isEmpty();
            assertThat(elapsed).isBetween(timeout, timeout.plus(LATE));
            assertNoWaiters(empty.receiver(), full.receiver(), never, later);
        }
        assertThat(full.receiver().size()).isEqualTo(Math.max(kind.capacity, 0));
    }

    /**
     * 100,000 timed-out selects (ZERO, negative, nanosecond, microsecond and a few millisecond
     * timeouts) from two threads at once over every flavor leave no waiter registered anywhere.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hundredThousandTimedOutSelectsLeaveNothingRegistered() throws Exception {
        Channel<Integer> zeroIn = Channels.bounded(0);
        Channel<Integer> oneIn = Channels.bounded(1);
        Channel<Integer> sixteenIn = Channels.bounded(16);
        Channel<Integer> unboundedIn = Channels.unbounded();
        Channel<Integer> oneFull = Channels.bounded(1);
        Channel<Integer> sixteenFull = Channels.bounded(16);
        for (int i = 0; i < 16; i++) {
            assertThat(sixteenFull.sender().trySend(i)).isTrue();
        }
        assertThat(oneFull.sender().trySend(0)).isTrue();
        // Each thread sends on its own rendezvous channel that nobody receives from: a send branch
        // on a rendezvous channel shared by both threads could pair with the other's receive.
        List<Channel<Integer>> zeroOut = List.of(Channels.bounded(0), Channels.bounded(0));
        Receiver<Integer> never = Channels.never();
        Receiver<Instant> later = Channels.after(Duration.ofHours(1));
        Receiver<Instant> slowTick = Channels.tick(Duration.ofHours(1));
        Duration[] tiny = {Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(-1), Duration.ofNanos(500),
            Duration.ofNanos(2_000), Duration.ofNanos(20_000)};
        int total = 100_000;
        AtomicInteger ready = new AtomicInteger();
        List<Bg<Integer>> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Channel<Integer> myZero = zeroOut.get(t);
            threads.add(Bg.start("timed-out-selects-" + t, () -> {
                Select<Integer> sel = new Select<Integer>()
                        .recv(zeroIn.receiver(), m -> 1)
                        .recv(oneIn.receiver(), m -> 2)
                        .recv(sixteenIn.receiver(), m -> 3)
                        .recv(unboundedIn.receiver(), m -> 4)
                        .send(oneFull.sender(), 5, () -> 5)
                        .send(sixteenFull.sender(), 6, () -> 6)
                        .send(myZero.sender(), 7, () -> 7)
                        .recv(never, m -> 8)
                        .recv(later, m -> 9)
                        .recv(slowTick, m -> 10);
                for (int i = 0; i < total / 2; i++) {
                    Duration timeout = i % 500 == 0 ? Duration.ofMillis(1) : tiny[i % tiny.length];
                    Optional<Integer> r = sel.select(timeout);
                    if (r.isPresent()) {
                        ready.incrementAndGet();
                    }
                }
                return 0;
            }));
        }
        for (Bg<Integer> t : threads) {
            t.get(Duration.ofSeconds(50));
        }
        assertThat(ready.get()).as("selects that found a branch ready (none should)").isZero();
        assertNoWaiters(zeroIn.receiver(), oneIn.receiver(), sixteenIn.receiver(), unboundedIn.receiver(),
                oneFull.receiver(), sixteenFull.receiver(), zeroOut.get(0).receiver(), zeroOut.get(1).receiver(),
                never, later, slowTick);
        assertThat(oneFull.receiver().size()).isEqualTo(1);
        assertThat(sixteenFull.receiver().size()).isEqualTo(16);
    }

    // ---- exactly one operation per call --------------------------------------------------------

    /** With two receive branches ready, each call takes exactly one message, the one of the branch whose handler ran. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"BOUNDED_1", "BOUNDED_16", "UNBOUNDED"})
    void twoReadyReceiveBranchesTakeExactlyOneMessage(Kind kind) throws Exception {
        Channel<String> a = kind.make();
        Channel<String> b = kind.make();
        Select<String> sel = new Select<String>()
                .recv(a.receiver(), m -> "a:" + m)
                .recv(b.receiver(), m -> "b:" + m);
        int[] wins = new int[2];
        for (int i = 0; i < 2_000; i++) {
            assertThat(a.sender().trySend("m" + i)).isTrue();
            assertThat(b.sender().trySend("m" + i)).isTrue();
            String r = (i % 2 == 0) ? sel.select() : sel.trySelect().orElseThrow();
            boolean aWon = r.equals("a:m" + i);
            assertThat(aWon || r.equals("b:m" + i)).as("result %s", r).isTrue();
            wins[aWon ? 0 : 1]++;
            Channel<String> winner = aWon ? a : b;
            Channel<String> loser = aWon ? b : a;
            assertThat(winner.receiver().isEmpty()).as("the winner's message is gone").isTrue();
            assertThat(loser.receiver().tryRecv()).as("the loser's message is still there").isEqualTo("m" + i);
        }
        assertThat(wins[0]).as("both branches get chosen").isPositive();
        assertThat(wins[1]).as("both branches get chosen").isPositive();
    }

    /** With two receive branches on rendezvous channels whose senders both wait, a call takes exactly one message: no sender's message is ever lost or taken twice. */
    @Test
    void twoReadyRendezvousReceiveBranchesTakeExactlyOneMessage() throws Exception {
        Channel<Integer> a = Channels.bounded(0);
        Channel<Integer> b = Channels.bounded(0);
        int n = 300;
        Bg<Integer> senderA = Bg.start("sender-a", () -> sendAll(a.sender(), n));
        Bg<Integer> senderB = Bg.start("sender-b", () -> sendAll(b.sender(), n));
        Select<int[]> sel = new Select<int[]>()
                .recv(a.receiver(), m -> new int[] {0, m})
                .recv(b.receiver(), m -> new int[] {1, m});
        int[] next = new int[2];
        while (next[0] < n && next[1] < n) {
            awaitCondition("both senders wait", () -> a.sender().waiterCount() == 1 && b.sender().waiterCount() == 1);
            int[] r = sel.select();
            assertThat(r[1]).as("message from sender %d: the next in sequence (none lost)", r[0]).isEqualTo(next[r[0]]);
            next[r[0]]++;
        }
        // Drain the rest directly: each sender's sequence continues where the select left it.
        for (int s = 0; s < 2; s++) {
            Receiver<Integer> rx = (s == 0 ? a : b).receiver();
            while (next[s] < n) {
                assertThat(rx.tryRecv(PATIENCE)).isEqualTo(next[s]);
                next[s]++;
            }
        }
        assertThat(senderA.get()).isEqualTo(n);
        assertThat(senderB.get()).isEqualTo(n);
    }

    /** With a ready receive branch and a ready send branch, each call performs exactly one of the two operations. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"BOUNDED_1", "BOUNDED_16", "UNBOUNDED"})
    void readySendAndReadyReceiveBranchPerformExactlyOne(Kind kind) throws Exception {
        Channel<String> in = kind.make();
        Channel<String> out = kind.make();
        Select<String> sel = new Select<String>()
                .recv(in.receiver(), m -> "recv")
                .send(out.sender(), "x", () -> "send");
        int recvs = 0;
        int sends = 0;
        for (int i = 0; i < 2_000; i++) {
            assertThat(in.sender().trySend("m")).isTrue();
            String r = (i % 2 == 0) ? sel.select() : sel.select(Duration.ofSeconds(1)).orElseThrow();
            int inLeft = in.receiver().size();
            int outHas = out.receiver().size();
            if (r.equals("recv")) {
                recvs++;
                assertThat(inLeft).as("received").isZero();
                assertThat(outHas).as("nothing sent by the losing send branch").isZero();
            } else {
                sends++;
                assertThat(outHas).as("sent").isEqualTo(1);
                assertThat(inLeft).as("nothing taken by the losing receive branch").isEqualTo(1);
                assertThat(out.receiver().tryRecv()).isEqualTo("x");
                assertThat(in.receiver().tryRecv()).isEqualTo("m");
            }
        }
        assertThat(recvs).isPositive();
        assertThat(sends).isPositive();
    }

    /**
     * Two selects racing for each message (both blocked, or one still trying) never both get it and
     * never lose it: every message is received exactly once.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoSelectsRacingForOneMessageExactlyOneGetsIt(Kind kind) throws Exception {
        Channel<Integer> ch = kind.make();
        Channel<Integer> stop = Channels.unbounded();
        int n = kind.rendezvous() ? 1_000 : 2_000;
        AtomicIntegerArray counts = new AtomicIntegerArray(n);
        BlockingQueue<Integer> got = new LinkedBlockingQueue<>();
        List<Bg<Integer>> racers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Receiver<Integer> rx = ch.receiver().clone();
            Receiver<Integer> stopRx = stop.receiver().clone();
            racers.add(Bg.start("racer-" + t, () -> {
                Select<Integer> sel = new Select<Integer>()
                        .recv(rx, m -> m)
                        .recv(stopRx, m -> -2, () -> -1);
                int mine = 0;
                for (;;) {
                    int m = sel.select();
                    if (m < 0) {
                        return mine;
                    }
                    mine++;
                    counts.incrementAndGet(m);
                    got.add(m);
                }
            }));
        }
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                awaitCondition("both racers are blocked in select", () -> ch.receiver().waiterCount() == 2);
            }
            assertThat(ch.sender().trySend(i, PATIENCE)).isTrue();
            Integer m = got.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("message %d was received by some select (not lost)", i).isEqualTo(i);
        }
        stop.sender().close();
        int total = 0;
        for (Bg<Integer> r : racers) {
            total += r.get();
        }
        assertThat(total).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(counts.get(i)).as("times message %d was received", i).isEqualTo(1);
        }
        assertThat(got).isEmpty();
        assertThat(ch.receiver().tryRecv()).isNull();
    }

    /**
     * Two selects racing to send into each free slot (or to each waiting receiver) never both send
     * into it and never lose a message: every message a select reports as sent is received exactly once.
     */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RENDEZVOUS", "BOUNDED_1", "BOUNDED_16"})
    void twoSelectsRacingToSendExactlyOneSendsEachTime(Kind kind) throws Exception {
        Channel<Integer> ch = kind.make();
        Channel<Integer> stop = Channels.unbounded();
        int n = 2_000;
        List<Bg<List<Integer>>> racers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Sender<Integer> tx = ch.sender().clone();
            Receiver<Integer> stopRx = stop.receiver().clone();
            int base = t * 1_000_000;
            racers.add(Bg.start("racer-" + t, () -> {
                List<Integer> sent = new ArrayList<>();
                for (int seq = 0; ; seq++) {
                    int m = base + seq;
                    boolean more = new Select<Boolean>()
                            .send(tx, m, () -> sent.add(m))
                            .recv(stopRx, x -> false, () -> false)
                            .select();
                    if (!more) {
                        return sent;
                    }
                }
            }));
        }
        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                int room = Math.max(kind.capacity, 0);
                awaitCondition("both racers are blocked in select on a full channel",
                        () -> ch.sender().waiterCount() == 2 && ch.receiver().size() == room);
            }
            Integer m = ch.receiver().tryRecv(PATIENCE);
            assertThat(m).as("receive #%d", i).isNotNull();
            received.add(m);
        }
        stop.sender().close();
        List<Integer> sent = new ArrayList<>();
        for (Bg<List<Integer>> r : racers) {
            sent.addAll(r.get());
        }
        ch.receiver().drainTo(received, Integer.MAX_VALUE);
        assertThat(received).as("received exactly what the selects report as sent, each once")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sent);
        assertNoWaiters(ch.receiver());
    }

    /** A select's send branch and another select's receive branch on one rendezvous channel pair with each other, once per call, messages in order. */
    @Test
    void selectSendMeetsSelectReceiveOnRendezvous() throws Exception {
        Channel<Integer> z = Channels.bounded(0);
        Channel<Integer> idleA = Channels.unbounded();
        Channel<Integer> fullB = Channels.bounded(1);
        assertThat(fullB.sender().trySend(-1)).isTrue();
        int n = 2_000;
        Bg<Integer> a = Bg.start("select-send", () -> {
            int sent = 0;
            for (int i = 0; i < n; i++) {
                Optional<String> r = new Select<String>()
                        .send(z.sender(), i, () -> "sent")
                        .recv(idleA.receiver(), m -> "idle")
                        .select(PATIENCE);
                assertThat(r).contains("sent");
                sent++;
            }
            return sent;
        });
        Bg<List<Integer>> b = Bg.start("select-recv", () -> {
            List<Integer> got = new ArrayList<>();
            Select<Integer> sel = new Select<Integer>()
                    .recv(z.receiver(), m -> m)
                    .send(fullB.sender(), -2, () -> -2);
            for (int i = 0; i < n; i++) {
                got.add(sel.select(PATIENCE).orElseThrow());
            }
            return got;
        });
        assertThat(a.get()).isEqualTo(n);
        List<Integer> got = b.get();
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
        assertNoWaiters(z.receiver(), idleA.receiver(), fullB.receiver());
        assertThat(fullB.receiver().tryRecv()).isEqualTo(-1);
    }

    /**
     * Two selects that both have a send and a receive branch on one rendezvous channel only ever pair
     * with each other (never with themselves): every message one sends, the other receives exactly once.
     */
    @Test
    void symmetricRendezvousSelectsPairOnlyWithEachOther() throws Exception {
        Channel<String> z = Channels.bounded(0);
        int n = 2_000;
        List<Bg<List<String>>> sides = new ArrayList<>();
        for (String name : List.of("A", "B")) {
            sides.add(Bg.start("side-" + name, () -> {
                List<String> log = new ArrayList<>(); // "sent X" or "recv X"
                int seq = 0;
                for (int i = 0; i < n; i++) {
                    String msg = name + seq;
                    Optional<String> r = new Select<String>()
                            .send(z.sender(), msg, () -> "sent " + msg)
                            .recv(z.receiver(), m -> "recv " + m)
                            .select(PATIENCE);
                    assertThat(r).as("%s's select #%d paired with the other side", name, i).isPresent();
                    if (r.get().startsWith("sent")) {
                        seq++;
                    }
                    log.add(r.get());
                }
                return log;
            }));
        }
        List<String> logA = sides.get(0).get();
        List<String> logB = sides.get(1).get();
        List<String> sentByA = strip(logA, "sent ");
        List<String> sentByB = strip(logB, "sent ");
        List<String> recvByA = strip(logA, "recv ");
        List<String> recvByB = strip(logB, "recv ");
        assertThat(recvByA).as("A never receives its own message").allMatch(m -> m.startsWith("B"));
        assertThat(recvByB).as("B never receives its own message").allMatch(m -> m.startsWith("A"));
        assertThat(recvByB).containsExactlyElementsOf(sentByA);
        assertThat(recvByA).containsExactlyElementsOf(sentByB);
        assertNoWaiters(z.receiver());
    }

    /** A send and a receive branch on one rendezvous channel inside one select never pair: alone, the select times out; a peer then completes exactly one of them. */
    @Test
    void sendAndReceiveOnOneRendezvousChannelInOneSelectNeverPair() throws Exception {
        Channel<String> z = Channels.bounded(0);
        Select<String> sel = new Select<String>()
                .send(z.sender(), "x", () -> "sent")
                .recv(z.receiver(), m -> "recv " + m);
        assertThat(sel.trySelect()).isEmpty();
        long start = System.nanoTime();
        assertThat(sel.select(Duration.ofMillis(200))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertNoWaiters(z.receiver());

        Bg<String> bg = Bg.start("self-select", sel::select);
        awaitCondition("the select registers both branches", () -> z.receiver().waiterCount() == 2);
        Thread.sleep(100);
        assertThat(bg.isDone()).as("the select must not pair with itself").isFalse();
        assertThat(z.receiver().tryRecv(PATIENCE)).isEqualTo("x");
        assertThat(bg.get()).isEqualTo("sent");

        bg = Bg.start("self-select", sel::select);
        awaitCondition("the select registers both branches", () -> z.receiver().waiterCount() == 2);
        assertThat(z.sender().trySend("y", PATIENCE)).isTrue();
        assertThat(bg.get()).isEqualTo("recv y");
        assertNoWaiters(z.receiver());
    }

    // ---- disconnection --------------------------------------------------------------------------

    /** A receive branch on a disconnected channel delivers what is buffered, then is ready: its handler's result, or DisconnectedException without one. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void receiveBranchOnDisconnectedChannel(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        if (!kind.rendezvous()) {
            assertThat(ch.sender().trySend("last")).isTrue();
        }
        ch.sender().close();
        Receiver<String> never = Channels.never();
        Select<String> withHandler = new Select<String>()
                .recv(never, m -> "never")
                .recv(ch.receiver(), m -> "got " + m, () -> "closed");
        if (!kind.rendezvous()) {
            assertThat(withHandler.select()).as("buffered messages first").isEqualTo("got last");
        }
        assertThat(withHandler.select()).isEqualTo("closed");
        assertThat(withHandler.trySelect()).contains("closed");
        assertThat(withHandler.select(Duration.ofSeconds(5))).contains("closed");

        Select<String> without = new Select<String>()
                .recv(never, m -> "never")
                .recv(ch.receiver(), m -> "got " + m);
        assertThatThrownBy(without::select).isInstanceOfSatisfying(DisconnectedException.class,
                e -> assertThat(e.unsentMessage()).isNull());
        assertThatThrownBy(without::trySelect).isInstanceOf(DisconnectedException.class);
        assertThatThrownBy(() -> without.select(Duration.ofSeconds(5))).isInstanceOf(DisconnectedException.class);
        assertNoWaiters(never, ch.receiver());
    }

    /** A send branch on a channel whose receivers are gone is ready: its handler's result, or DisconnectedException carrying the unsent message. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void sendBranchOnDisconnectedChannel(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        fill(ch.sender(), kind);
        ch.receiver().close();
        Receiver<String> never = Channels.never();
        Select<String> withHandler = new Select<String>()
                .recv(never, m -> "never")
                .send(ch.sender(), "x", () -> "sent", () -> "gone");
        assertThat(withHandler.select()).isEqualTo("gone");
        assertThat(withHandler.trySelect()).contains("gone");
        assertThat(withHandler.select(Duration.ofSeconds(5))).contains("gone");

        Select<String> without = new Select<String>()
                .recv(never, m -> "never")
                .send(ch.sender(), "x", () -> "sent");
        assertThatThrownBy(without::select).isInstanceOfSatisfying(DisconnectedException.class,
                e -> assertThat(e.unsentMessage()).isEqualTo("x"));
        assertThatThrownBy(without::trySelect).isInstanceOfSatisfying(DisconnectedException.class,
                e -> assertThat(e.unsentMessage()).isEqualTo("x"));
        assertThatThrownBy(() -> without.select(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(DisconnectedException.class, e -> assertThat(e.unsentMessage()).isEqualTo("x"));
        assertNoWaiters(never);
    }

    /** A select blocked on a receive branch wakes when the last sender closes and returns the disconnect handler's result. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void blockedReceiveBranchWakesOnDisconnection(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        Select<String> sel = new Select<String>()
                .recv(Channels.<String>never(), m -> "never")
                .recv(ch.receiver(), m -> "got " + m, () -> "closed");
        Bg<String> bg = Bg.start("select", sel::select);
        awaitCondition("the select blocks", () -> ch.receiver().waiterCount() >= 1);
        ch.sender().close();
        assertThat(bg.get()).isEqualTo("closed");
        assertNoWaiters(ch.receiver());
    }

    /** A select blocked on a send branch wakes when the last receiver closes: DisconnectedException carrying the message, without a handler. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RENDEZVOUS", "BOUNDED_1", "BOUNDED_16"})
    void blockedSendBranchWakesOnDisconnection(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        fill(ch.sender(), kind);
        Select<String> sel = new Select<String>()
                .recv(Channels.<String>never(), m -> "never")
                .send(ch.sender(), "x", () -> "sent");
        Bg<String> bg = Bg.start("select", sel::select);
        awaitCondition("the select blocks", () -> ch.sender().waiterCount() >= 1);
        ch.receiver().close();
        assertThatThrownBy(bg::get).isInstanceOfSatisfying(DisconnectedException.class,
                e -> assertThat(e.unsentMessage()).isEqualTo("x"));
        assertNoWaiters(ch.sender());
    }

    // ---- interrupts -----------------------------------------------------------------------------

    /** Interrupting a blocked select throws InterruptedException with the status cleared, and completes no branch. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void interruptingABlockedSelectThrowsAndCompletesNothing(Kind kind) throws Exception {
        Channel<String> in = kind.make();
        Channel<String> out = kind.make();
        fill(out.sender(), kind);
        Select<String> sel = new Select<String>().recv(in.receiver(), m -> "got " + m);
        if (!kind.unbounded()) {
            sel.send(out.sender(), "x", () -> "sent");
        }
        Bg<Boolean> bg = Bg.start("select", () -> {
            try {
                sel.select();
                return null;
            } catch (InterruptedException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        awaitCondition("the select blocks", () -> in.receiver().waiterCount() >= 1
                && (kind.unbounded() || out.sender().waiterCount() >= 1));
        bg.thread.interrupt();
        assertThat(bg.get()).as("InterruptedException thrown (non-null) with the status cleared (false)").isFalse();
        assertNoWaiters(in.receiver(), out.receiver());
        // Nothing was sent: the full channel holds exactly its fillers; a rendezvous receiver finds nobody.
        if (kind.rendezvous()) {
            assertThat(out.receiver().tryRecv()).isNull();
            assertThat(in.sender().trySend("late")).as("no select left waiting to receive").isFalse();
        } else {
            List<String> rest = new ArrayList<>();
            out.receiver().drainTo(rest, Integer.MAX_VALUE);
            assertThat(rest).containsExactlyElementsOf(fillers(kind));
            assertThat(in.sender().trySend("late")).isTrue();
            assertThat(in.receiver().tryRecv()).as("nobody took it").isEqualTo("late");
        }
    }

    /**
     * An interrupt racing a message into a blocked select never loses the message: either the select
     * returns it (and an interrupt that came first is kept as the thread's status), or it throws
     * InterruptedException and the message was not taken.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void interruptRacingAMessageNeverLosesIt(Kind kind) throws Exception {
        Channel<Integer> ch = kind.make();
        int rounds = 300;
        int delivered = 0;
        int interrupted = 0;
        for (int i = 0; i < rounds; i++) {
            Select<Integer> sel = new Select<Integer>().recv(ch.receiver(), m -> m);
            boolean[] statusAtReturn = new boolean[1];
            Bg<Integer> bg = Bg.start("select", () -> {
                try {
                    int m = sel.select();
                    statusAtReturn[0] = Thread.currentThread().isInterrupted();
                    return m;
                } catch (InterruptedException e) {
                    return -1;
                }
            });
            awaitCondition("the select blocks", () -> ch.receiver().waiterCount() >= 1);
            boolean interruptFirst = (i & 1) == 0;
            if (interruptFirst) {
                bg.thread.interrupt();
            }
            // A random gap (none, a short spin, or a park of up to 1 ms that leaves the core to the
            // select): an interrupt-first round then sometimes lets the select withdraw before the
            // message comes, sometimes not.
            randomGap();
            boolean sent = ch.sender().trySend(i); // rendezvous: pairs only with a select still waiting
            if (!interruptFirst) {
                randomGap();
                bg.thread.interrupt();
            }
            int r = bg.get();
            if (r == -1) {
                interrupted++;
                if (kind.rendezvous()) {
                    assertThat(sent).as("round %d: a send that paired with an interrupted select lost its message", i)
                            .isFalse();
                } else {
                    assertThat(sent).isTrue();
                    assertThat(ch.receiver().tryRecv()).as("round %d: the message is still in the channel", i)
                            .isEqualTo(i);
                }
            } else {
                delivered++;
                assertThat(sent).isTrue();
                assertThat(r).isEqualTo(i);
                assertThat(ch.receiver().tryRecv()).isNull();
                if (interruptFirst) {
                    // The interrupt came before the message, and lost: it must not be swallowed.
                    assertThat(statusAtReturn[0]).as("round %d: interrupt status kept after a completed select", i)
                            .isTrue();
                }
            }
            assertNoWaiters(ch.receiver());
        }
        assertThat(delivered + interrupted).isEqualTo(rounds);
    }

    /** An interrupt set before select() or select(timeout) makes it throw at once, clears the status, and completes no branch even if one is ready. */
    @Test
    void interruptBeforeSelectThrowsAtOnceAndClearsTheStatus() throws Exception {
        Channel<String> ch = Channels.unbounded();
        Select<String> idle = new Select<String>().recv(ch.receiver(), m -> m).recv(Channels.<String>never(), m -> m);
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertThatThrownBy(idle::select).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("status cleared").isFalse();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> idle.select(Duration.ofSeconds(20))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("status cleared").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        assertThat(ch.sender().trySend("ready")).isTrue();
        Thread.currentThread().interrupt();
        assertThatThrownBy(idle::select).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(ch.receiver().tryRecv()).as("no branch completed").isEqualTo("ready");
        assertNoWaiters(ch.receiver());
    }

    // ---- handlers -------------------------------------------------------------------------------

    /** A receive handler that throws propagates its exception from every select form, and the message stays consumed. */
    @Test
    void throwingReceiveHandlerPropagatesAndTheMessageStaysConsumed() throws Exception {
        Channel<String> ch = Channels.bounded(4);
        RuntimeException boom = new IllegalArgumentException("boom");
        Select<String> sel = new Select<String>().recv(ch.receiver(), m -> {
            throw boom;
        });
        for (int form = 0; form < 3; form++) {
            assertThat(ch.sender().trySend("m")).isTrue();
            int f = form;
            assertThatThrownBy(() -> runForm(sel, f)).isSameAs(boom);
            assertThat(ch.receiver().isEmpty()).as("form %d: the message was consumed", form).isTrue();
        }
        // Still usable afterwards.
        Select<String> ok = new Select<String>().recv(ch.receiver(), m -> "got " + m);
        assertThat(ch.sender().trySend("n")).isTrue();
        assertThat(ok.select()).isEqualTo("got n");
    }

    /** A send handler that throws propagates its exception, and the message stays sent. */
    @Test
    void throwingSendHandlerPropagatesAndTheMessageStaysSent() throws Exception {
        Channel<String> ch = Channels.bounded(4);
        RuntimeException boom = new IllegalStateException("boom");
        Select<String> sel = new Select<String>().send(ch.sender(), "x", () -> {
            throw boom;
        });
        for (int form = 0; form < 3; form++) {
            int f = form;
            assertThatThrownBy(() -> runForm(sel, f)).isSameAs(boom);
            assertThat(ch.receiver().tryRecv()).as("form %d: the message was sent", form).isEqualTo("x");
        }
        // A throwing disconnect handler propagates too.
        ch.receiver().close();
        Select<String> gone = new Select<String>().send(ch.sender(), "x", () -> "sent", () -> {
            throw boom;
        });
        assertThatThrownBy(gone::select).isSameAs(boom);
    }

    /** select() returns a handler's null as is; trySelect and select(timeout) throw NullPointerException after the operation completed. */
    @Test
    void nullHandlerResults() throws Exception {
        Channel<String> ch = Channels.unbounded();
        Select<String> sel = new Select<String>().recv(ch.receiver(), m -> null);
        assertThat(ch.sender().trySend("a")).isTrue();
        assertThat(sel.select()).isNull();
        assertThat(ch.receiver().isEmpty()).isTrue();

        assertThat(ch.sender().trySend("b")).isTrue();
        assertThatThrownBy(sel::trySelect).isInstanceOf(NullPointerException.class);
        assertThat(ch.receiver().isEmpty()).as("trySelect consumed the message").isTrue();

        assertThat(ch.sender().trySend("c")).isTrue();
        assertThatThrownBy(() -> sel.select(Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
        assertThat(ch.receiver().isEmpty()).as("select(timeout) consumed the message").isTrue();

        Channel<String> out = Channels.bounded(1);
        Select<String> send = new Select<String>().send(out.sender(), "x", () -> null);
        assertThatThrownBy(send::trySelect).isInstanceOf(NullPointerException.class);
        assertThat(out.receiver().tryRecv()).as("the message was sent").isEqualTo("x");
        assertThatThrownBy(() -> send.select(Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
        assertThat(out.receiver().tryRecv()).as("the message was sent").isEqualTo("x");
        assertThat(send.select()).isNull();
        assertThat(out.receiver().tryRecv()).isEqualTo("x");

        ch.sender().close();
        Select<String> closed = new Select<String>().recv(ch.receiver(), m -> "m", () -> null);
        assertThat(closed.select()).isNull();
        assertThatThrownBy(closed::trySelect).isInstanceOf(NullPointerException.class);
    }

    // ---- odd cases ------------------------------------------------------------------------------

    /** With no branches, select() throws IllegalStateException, trySelect() is empty and select(timeout) is empty after about the timeout. */
    @Test
    void selectWithNoBranches() throws Exception {
        Select<String> sel = new Select<>();
        assertThatThrownBy(sel::select).isInstanceOf(IllegalStateException.class);
        assertThat(sel.trySelect()).isEmpty();
        assertThat(sel.select(Duration.ZERO)).isEmpty();
        Duration timeout = Duration.ofMillis(100);
        long start = System.nanoTime();
        assertThat(sel.select(timeout)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(timeout, timeout.plus(LATE));
    }

    /** Several branches may name one channel: each call still completes exactly one operation, through the branch whose handler runs. */
    @Test
    void sameChannelInSeveralBranches() throws Exception {
        Channel<Integer> ch = Channels.unbounded();
        Select<String> twoRecv = new Select<String>()
                .recv(ch.receiver(), m -> "first " + m)
                .recv(ch.receiver(), m -> "second " + m);
        int[] wins = new int[2];
        for (int i = 0; i < 1_000; i++) {
            assertThat(ch.sender().trySend(i)).isTrue();
            assertThat(ch.sender().trySend(-i - 1)).isTrue();
            String r = twoRecv.select();
            assertThat(r).endsWith(" " + i);
            wins[r.startsWith("first") ? 0 : 1]++;
            assertThat(ch.receiver().size()).isEqualTo(1);
            assertThat(ch.receiver().tryRecv()).isEqualTo(-i - 1);
        }
        assertThat(wins[0]).isPositive();
        assertThat(wins[1]).isPositive();

        Channel<String> one = Channels.bounded(1);
        Select<String> twoSend = new Select<String>()
                .send(one.sender(), "a", () -> "a")
                .send(one.sender(), "b", () -> "b");
        for (int i = 0; i < 200; i++) {
            String r = twoSend.select();
            assertThat(twoSend.trySelect()).as("full after exactly one send").isEmpty();
            assertThat(one.receiver().tryRecv()).isEqualTo(r);
        }

        Select<String> both = new Select<String>()
                .send(one.sender(), "x", () -> "sent")
                .recv(one.receiver(), m -> "got " + m);
        for (int i = 0; i < 100; i++) {
            assertThat(both.select()).as("empty: only the send is ready").isEqualTo("sent");
            assertThat(both.select()).as("full: only the receive is ready").isEqualTo("got x");
        }

        // Blocked on two branches of one channel: one message completes exactly one of them.
        Channel<Integer> blk = Channels.bounded(16);
        Bg<String> bg = Bg.start("select", twoRecvOn(blk.receiver())::select);
        awaitCondition("both branches registered", () -> blk.receiver().waiterCount() == 2);
        assertThat(blk.sender().trySend(7)).isTrue();
        assertThat(bg.get()).endsWith(" 7");
        assertThat(blk.receiver().isEmpty()).isTrue();
        assertNoWaiters(blk.receiver());

        // The same on a rendezvous channel.
        Channel<Integer> z = Channels.bounded(0);
        bg = Bg.start("select", twoRecvOn(z.receiver())::select);
        awaitCondition("both branches registered", () -> z.receiver().waiterCount() == 2);
        assertThat(z.sender().trySend(8)).isTrue();
        assertThat(bg.get()).endsWith(" 8");
        assertThat(z.sender().trySend(9)).as("no branch left waiting").isFalse();
        assertNoWaiters(z.receiver());
    }

    /** One Select can be reused for many calls of every form, before and after time-outs, and each call takes exactly one message. */
    @Test
    void aSelectIsReusableAcrossManyCalls() throws Exception {
        Channel<Integer> a = Channels.unbounded();
        Channel<Integer> b = Channels.bounded(16);
        Select<Integer> sel = new Select<Integer>().recv(a.receiver(), m -> m).recv(b.receiver(), m -> m);
        int n = 20_000;
        boolean[] seen = new boolean[n];
        Bg<Integer> producer = Bg.start("producer", () -> {
            for (int i = 0; i < n; i++) {
                if ((i & 1) == 0) {
                    a.sender().send(i);
                } else {
                    b.sender().send(i);
                }
            }
            return n;
        });
        for (int k = 0; k < n; k++) {
            int m;
            switch (k % 3) {
                case 0:
                    m = sel.select();
                    break;
                case 1:
                    m = sel.select(PATIENCE).orElseThrow();
                    break;
                default:
                    Optional<Integer> r;
                    while ((r = sel.trySelect()).isEmpty()) {
                        Thread.onSpinWait();
                    }
                    m = r.get();
            }
            assertThat(seen[m]).as("message %d received twice", m).isFalse();
            seen[m] = true;
        }
        assertThat(producer.get()).isEqualTo(n);
        assertThat(sel.trySelect()).isEmpty();
        assertThat(sel.select(Duration.ofMillis(5))).isEmpty();
        assertThat(a.sender().trySend(-1)).isTrue();
        assertThat(sel.select()).isEqualTo(-1);
        assertNoWaiters(a.receiver(), b.receiver());
    }

    /** A Select used by one thread and then by another (one at a time) works for both. */
    @Test
    void aSelectCanBeHandedToAnotherThread() throws Exception {
        Channel<Integer> ch = Channels.bounded(0);
        Select<Integer> sel = new Select<Integer>().recv(ch.receiver(), m -> m).recv(Channels.<Integer>never(), m -> -1);
        for (int round = 0; round < 20; round++) {
            int expected = round;
            Bg<Integer> user = Bg.start("select-user-" + round, sel::select);
            awaitCondition("the select blocks", () -> ch.receiver().waiterCount() >= 1);
            assertThat(ch.sender().trySend(expected)).isTrue();
            assertThat(user.get()).isEqualTo(expected);
        }
        assertThat(ch.sender().trySend(99)).isFalse();
        Bg<Boolean> sender = Bg.start("sender", () -> ch.sender().trySend(100, PATIENCE));
        assertThat(sel.select()).isEqualTo(100);
        assertThat(sender.get()).isTrue();
        assertNoWaiters(ch.receiver());
    }

    /** A timeout too long to represent (Duration.ofSeconds(Long.MAX_VALUE)) means no limit: the select waits for the message and never overflows. */
    @Test
    void hugeTimeoutWaitsWithoutLimit() throws Exception {
        Channel<String> ch = Channels.unbounded();
        Select<String> sel = new Select<String>().recv(ch.receiver(), m -> m);
        Bg<Optional<String>> bg = Bg.start("select", () -> sel.select(Duration.ofSeconds(Long.MAX_VALUE)));
        awaitCondition("the select blocks", () -> ch.receiver().waiterCount() >= 1);
        Thread.sleep(50);
        assertThat(bg.isDone()).as("returned without a message").isFalse();
        assertThat(ch.sender().trySend("m")).isTrue();
        assertThat(bg.get()).contains("m");
        assertThat(ch.sender().trySend("n")).isTrue();
        assertThat(sel.select(Duration.ofSeconds(Long.MAX_VALUE))).contains("n");
        assertNoWaiters(ch.receiver());
    }

    /** Null arguments are rejected with NullPointerException: a null message for a send branch, null handles, handlers and timeouts. */
    @Test
    void nullArgumentsAreRejected() {
        Channel<String> ch = Channels.unbounded();
        assertThatThrownBy(() -> new Select<String>().send(ch.sender(), null, () -> "sent").trySelect())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Select<String>().recv((Receiver<String>) null, m -> m)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Select<String>().recv(ch.receiver(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Select<String>().send(ch.sender(), "x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Select<String>().recv(ch.receiver(), m -> m).select(null))
                .isInstanceOf(NullPointerException.class);
        assertThat(ch.receiver().tryRecv()).as("nothing was sent").isNull();
    }

    /** A branch whose handle is closed makes every select form throw IllegalStateException, completing no other branch. */
    @Test
    void closedHandleInABranchThrowsIllegalState() throws Exception {
        Channel<String> ready = Channels.unbounded();
        assertThat(ready.sender().trySend("m")).isTrue();
        Channel<String> ch = Channels.unbounded();
        Receiver<String> rx = ch.receiver().clone();
        rx.close();
        Select<String> recvClosed = new Select<String>().recv(ready.receiver(), m -> m).recv(rx, m -> m);
        assertThatThrownBy(recvClosed::select).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(recvClosed::trySelect).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> recvClosed.select(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);

        Sender<String> tx = ch.sender().clone();
        tx.close();
        Select<String> sendClosed = new Select<String>().recv(ready.receiver(), m -> m).send(tx, "x", () -> "sent");
        assertThatThrownBy(sendClosed::select).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sendClosed::trySelect).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sendClosed.select(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);

        Receiver<String> never = Channels.never();
        never.close();
        assertThatThrownBy(new Select<String>().recv(never, m -> m)::trySelect).isInstanceOf(IllegalStateException.class);

        assertThat(ready.receiver().tryRecv()).as("no branch completed").isEqualTo("m");
        assertThat(ch.receiver().tryRecv()).as("nothing sent").isNull();
    }

    /** A select blocked through a handle that another thread closes throws IllegalStateException and unregisters everywhere. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void handleClosedWhileSelectWaitsThrowsIllegalState(Kind kind) throws Exception {
        Channel<String> ch = kind.make();
        Channel<String> other = Channels.unbounded();
        Receiver<String> rx = ch.receiver().clone();
        Select<String> sel = new Select<String>().recv(other.receiver(), m -> m).recv(rx, m -> m);
        Bg<String> bg = Bg.start("select", sel::select);
        awaitCondition("the select blocks", () -> ch.receiver().waiterCount() >= 1);
        rx.close();
        assertThatThrownBy(bg::get).isInstanceOf(IllegalStateException.class);
        assertNoWaiters(ch.receiver(), other.receiver());
        assertThat(other.sender().trySend("later")).isTrue();
        assertThat(other.receiver().tryRecv()).isEqualTo("later");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Select<String> twoRecvOn(Receiver<Integer> rx) {
        return new Select<String>().recv(rx, m -> "first " + m).recv(rx, m -> "second " + m);
    }

    /** Runs one select form: 0 select(), 1 trySelect(), 2 select(timeout). */
    private static String runForm(Select<String> sel, int form) throws InterruptedException {
        switch (form) {
            case 0:
                return sel.select();
            case 1:
                return sel.trySelect().orElse("empty");
            default:
                return sel.select(Duration.ofSeconds(1)).orElse("empty");
        }
    }

    private static int sendAll(Sender<Integer> tx, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            tx.send(i);
        }
        return n;
    }

    private static List<String> strip(List<String> log, String prefix) {
        List<String> out = new ArrayList<>();
        for (String s : log) {
            if (s.startsWith(prefix)) {
                out.add(s.substring(prefix.length()));
            }
        }
        return out;
    }

    /** The messages {@link #fill} puts into a channel of {@code kind}: "0", "1", ... up to its capacity. */
    private static List<String> fillers(Kind kind) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(kind.capacity, 0); i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    /** Fills a bounded channel to capacity (nothing for rendezvous and unbounded). */
    private static void fill(Sender<String> tx, Kind kind) {
        for (String m : fillers(kind)) {
            assertThat(tx.trySend(m)).isTrue();
        }
    }

    private static void randomGap() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        switch (rnd.nextInt(3)) {
            case 0:
                return;
            case 1:
                spinNanos(rnd.nextLong(20_000));
                return;
            default:
                LockSupport.parkNanos(rnd.nextLong(1_000_000));
        }
    }

    private static void spinNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Waiters on the one never() channel when the test started. That channel is shared by the whole
     * JVM, so a thread some other test left blocked on it must not count against this test.
     */
    private int neverBaseline;

    @BeforeEach
    void recordNeverBaseline() {
        try (Receiver<Object> never = Channels.never()) {
            neverBaseline = never.waiterCount();
        }
    }

    /** No waiter entry left on any of these channels (a finished select must unregister everywhere). */
    void assertNoWaiters(Object... handles) {
        for (Object h : handles) {
            int n = h instanceof Receiver ? ((Receiver<?>) h).waiterCount() : ((Sender<?>) h).waiterCount();
            boolean isNever = h instanceof Receiver && ((Receiver<?>) h).sameChannel(Channels.never());
            assertThat(n).as("waiters left on %s", h).isEqualTo(isNever ? neverBaseline : 0);
        }
    }

    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int spins = 0;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + PATIENCE + " waiting until " + what);
            }
            if (++spins < 100) {
                Thread.yield();
            } else {
                try {
                    Thread.sleep(0, 100_000);
                } catch (InterruptedException e) {
                    throw new AssertionError("interrupted while waiting until " + what, e);
                }
            }
        }
    }

    /** A task on its own daemon thread; {@link #get} waits a bounded time and rethrows the task's exception. */
    static final class Bg<V> {
        final Thread thread;
        private final FutureTask<V> task;

        private Bg(Thread.Builder builder, String name, Callable<V> body) {
            task = new FutureTask<>(body);
            thread = builder.name(name).unstarted(task);
            thread.start();
        }

        static <V> Bg<V> start(String name, Callable<V> body) {
            return new Bg<>(Thread.ofPlatform().daemon(true), name, body);
        }

        boolean isDone() {
            return task.isDone();
        }

        V get() throws Exception {
            return get(PATIENCE);
        }

        V get(Duration patience) throws Exception {
            try {
                return task.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw (Error) cause;
            } catch (TimeoutException e) {
                AssertionError err = new AssertionError("task " + thread.getName() + " did not finish within "
                        + patience + "; it is at:");
                Throwable where = new Throwable("stack of " + thread.getName());
                where.setStackTrace(thread.getStackTrace());
                err.addSuppressed(where);
                throw err;
            }
        }
    }
}
