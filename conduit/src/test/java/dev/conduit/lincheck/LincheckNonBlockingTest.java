package dev.conduit.lincheck;

import static dev.conduit.lincheck.Scenarios.a;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Sender;
import dev.conduit.TestAccess;
import dev.conduit.internal.flavor.ListFlavor;
import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Linearizability of the non-blocking operations of every flavor (Lincheck 3.7, stress and model
 * checking) against a sequential model: a FIFO queue of the flavor's capacity with handle counts
 * and Rust's disconnection rules.
 *
 * <p>Two groups of operations, because the model cannot say everything at once:
 * <ul>
 *   <li>{@link QueueOps}: {@code trySend} through two sender handles, {@code tryRecv},
 *       {@code size}, closing either sender and {@code isDisconnected} on the receiver. The last
 *       sender's close disconnects the receiver side: an empty {@code tryRecv} then throws.</li>
 *   <li>{@link DisconnectOps}: {@code trySend}, {@code tryRecv} through two receiver handles,
 *       closing either receiver and {@code isDisconnected} on the sender. No {@code size}: the
 *       discard of the buffer when the last receiver closes is incremental (as in crossbeam), so
 *       another thread may see a shrinking non-zero size after the disconnection; that is allowed.</li>
 * </ul>
 * Rendezvous (capacity 0): with no blocking receiver in these scenarios, {@code trySend} is always
 * {@code false} and {@code tryRecv} {@code null} until the disconnection, which is what the model
 * says (a blocked peer is the blocking tests' business, {@link LincheckBlockingTest}).
 *
 * <p>Flavors: rendezvous, ring of 1, 2 and 16, unbounded list with blocks of 1 slot (lap 2, so
 * that every message crosses a block end), bounded list (limit 2, blocks of 3 slots: lap 4, so
 * that messages both stay in a block and cross its end).
 *
 * <p>Sizes: {@code -Dconduit.lincheck.iterations=N} scenarios per flavor and strategy (default 3,
 * plus the custom scenarios), {@code -Dconduit.lincheck.invocations=M} invocations per scenario
 * (default 100 for model checking, stress uses twice that). A long run: iterations 100, invocations
 * 10000.
 *
 * <p>Making Lincheck 3.7 (JDK 25, dynamic agent) see inside the library, found while building
 * this (each point was checked against a trace):
 * <ul>
 *   <li>Lincheck instruments a class already loaded by the JVM only if it finds an object of that
 *       class from the <em>test instance</em> (it walks the instance's fields once per check).
 *       With the channel held only in static fields, the library's classes (loaded by an earlier
 *       test or by Lincheck's own first construction of the test class) stayed uninstrumented:
 *       the traces showed calls into {@code Chan} and the flavors with no memory access inside,
 *       no thread switch ever happened there, and real races passed unseen. So each test
 *       instance keeps the handles and the flavor in an instance field ({@code graph}) as well
 *       as in the static fields the Lincheck folklore asks for; after that the traces show the
 *       counters, stamps and flags, and the model checker finds the races below.</li>
 *   <li>It never switches threads just before a {@code VarHandle.getAndBitwiseOr} on a
 *       {@code long} field, which is how the ring and list flavors set their disconnect mark; that
 *       window is reached by the stress runs here and by {@link DisconnectWindowStressTest}.</li>
 * </ul>
 */
class LincheckNonBlockingTest {

    static final int ITERATIONS = Integer.getInteger("conduit.lincheck.iterations", 3);
    static final int INVOCATIONS = Integer.getInteger("conduit.lincheck.invocations", 100);

    enum Kind {
        RENDEZVOUS(0), RING_1(1), RING_2(2), RING_16(16), LIST_LAP3(-1), BOUNDED_LIST_2_LAP3(2);

        final int capacity;

        Kind(int capacity) {
            this.capacity = capacity;
        }

        Channel<Integer> create() {
            switch (this) {
                case LIST_LAP3:
                    return TestAccess.channel(new ListFlavor<>(ListFlavor.UNBOUNDED, 2), "unbounded(lap 2)");
                case BOUNDED_LIST_2_LAP3:
                    return TestAccess.channel(new ListFlavor<>(2, 4), "bounded list(2, lap 4)");
                default:
                    return Channels.bounded(capacity);
            }
        }
    }

    /** The flavor under test: a static, read by the test classes' constructors and models. */
    static volatile Kind kind = Kind.RING_2;

    static Object trySend(Sender<Integer> tx, int v) {
        try {
            return tx.trySend(v);
        } catch (DisconnectedException e) {
            return Integer.valueOf(v).equals(e.unsentMessage()) ? "disconnected" : "disconnected with " + e.unsentMessage();
        } catch (IllegalStateException e) {
            return "closed";
        }
    }

    static Object tryRecv(Receiver<Integer> rx) {
        try {
            return rx.tryRecv();
        } catch (DisconnectedException e) {
            return "disconnected";
        } catch (IllegalStateException e) {
            return "closed";
        }
    }

    // ---- senders close -------------------------------------------------------------------------

    public static class QueueOps {
        static Sender<Integer> tx0;
        static Sender<Integer> tx1;
        static Receiver<Integer> rx;
        /** Held statically so that the model checker tracks it (see the class notes). */
        static Object flavor;

        public QueueOps() {
            Channel<Integer> ch = kind.create();
            tx0 = ch.sender();
            tx1 = tx0.clone();
            rx = ch.receiver();
            flavor = TestAccess.flavor(tx0);
            graph = new Object[] {tx0, tx1, rx, flavor};
        }

        /** The same objects from an instance field: see the class notes. */
        final Object[] graph;

        @Operation
        public Object trySend(@Param(gen = IntGen.class, conf = "1:5") int v, @Param(gen = IntGen.class, conf = "0:1") int h) {
            return LincheckNonBlockingTest.trySend(h == 0 ? tx0 : tx1, v);
        }

        @Operation
        public Object tryRecv() {
            return LincheckNonBlockingTest.tryRecv(rx);
        }

        @Operation
        public void closeSender(@Param(gen = IntGen.class, conf = "0:1") int h) {
            (h == 0 ? tx0 : tx1).close();
        }

        @Operation
        public int size() {
            return rx.size();
        }

        @Operation
        public boolean sendersGone() {
            return rx.isDisconnected();
        }
    }

    /** The model of {@link QueueOps}. */
    public static class QueueModel {
        final int capacity = kind.capacity;
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        final boolean[] txClosed = new boolean[2];

        public Object trySend(int v, int h) {
            if (txClosed[h]) {
                return "closed";
            }
            if (capacity == 0 || (capacity > 0 && queue.size() == capacity)) {
                return false;
            }
            queue.add(v);
            return true;
        }

        public Object tryRecv() {
            if (!queue.isEmpty()) {
                return queue.poll();
            }
            return sendersGone() ? "disconnected" : null;
        }

        public void closeSender(int h) {
            txClosed[h] = true;
        }

        public int size() {
            return queue.size();
        }

        public boolean sendersGone() {
            return txClosed[0] && txClosed[1];
        }
    }

    // ---- receivers close -----------------------------------------------------------------------

    public static class DisconnectOps {
        static Sender<Integer> tx;
        static Receiver<Integer> rx0;
        static Receiver<Integer> rx1;
        static Object flavor;

        public DisconnectOps() {
            Channel<Integer> ch = kind.create();
            tx = ch.sender();
            rx0 = ch.receiver();
            rx1 = rx0.clone();
            flavor = TestAccess.flavor(tx);
            graph = new Object[] {tx, rx0, rx1, flavor};
        }

        /** The same objects from an instance field: see the class notes. */
        final Object[] graph;

        @Operation
        public Object trySend(@Param(gen = IntGen.class, conf = "1:5") int v) {
            return LincheckNonBlockingTest.trySend(tx, v);
        }

        @Operation
        public Object tryRecv(@Param(gen = ThreadIdGen.class) int thread) {
            return LincheckNonBlockingTest.tryRecv((thread & 1) == 0 ? rx0 : rx1);
        }

        @Operation
        public void closeReceiver(@Param(gen = ThreadIdGen.class) int thread) {
            ((thread & 1) == 0 ? rx0 : rx1).close();
        }

        @Operation
        public boolean receiversGone() {
            return tx.isDisconnected();
        }
    }

    /** The model of {@link DisconnectOps}. */
    public static class DisconnectModel {
        final int capacity = kind.capacity;
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        final boolean[] rxClosed = new boolean[2];

        public Object trySend(int v) {
            if (receiversGone()) {
                return "disconnected";
            }
            if (capacity == 0 || (capacity > 0 && queue.size() == capacity)) {
                return false;
            }
            queue.add(v);
            return true;
        }

        public Object tryRecv(int thread) {
            int h = thread & 1;
            if (rxClosed[h]) {
                return "closed";
            }
            return queue.isEmpty() ? null : queue.poll();
        }

        public void closeReceiver(int thread) {
            rxClosed[thread & 1] = true;
            if (receiversGone()) {
                queue.clear(); // discarded
            }
        }

        public boolean receiversGone() {
            return rxClosed[0] && rxClosed[1];
        }
    }

    // ---- runs ----------------------------------------------------------------------------------

    @org.junit.jupiter.api.BeforeAll
    static void loadTheLibraryFirst() {
        Preload.everything();
    }

    private static <O extends Options<O, ?>> O shape(O o) {
        return o.iterations(ITERATIONS)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1);
    }

    /** Scenarios aimed at the known delicate paths; they run in addition to the random ones. */
    private static <O extends Options<O, ?>> O queueScenarios(O o) {
        return o
                // the last sender's close against a receive that must then see the end
                .addCustomScenario(Scenarios.on(QueueOps.class)
                        .init(a("closeSender", 1))
                        .thread(a("closeSender", 0))
                        .thread(a("sendersGone"), a("tryRecv"))
                        .build())
                // a full buffer drained and refilled around a block end (lap 4) or the ring's wrap
                .addCustomScenario(Scenarios.on(QueueOps.class)
                        .init(a("trySend", 1, 0), a("trySend", 2, 1))
                        .thread(a("tryRecv"), a("trySend", 3, 0), a("size"))
                        .thread(a("trySend", 4, 1), a("tryRecv"), a("tryRecv"))
                        .build())
                // two senders racing for the last slot, a receiver making room meanwhile
                .addCustomScenario(Scenarios.on(QueueOps.class)
                        .init(a("trySend", 1, 0))
                        .thread(a("trySend", 2, 0), a("trySend", 3, 0))
                        .thread(a("trySend", 4, 1), a("tryRecv"), a("size"))
                        .build());
    }

    private static <O extends Options<O, ?>> O disconnectScenarios(O o) {
        return o
                // the last receiver's close against a send that must then fail
                .addCustomScenario(Scenarios.on(DisconnectOps.class)
                        .init(a("closeReceiver", 1))
                        .thread(a("closeReceiver", 0))
                        .thread(a("receiversGone"), a("trySend", 5))
                        .build())
                // buffered messages, one receiver leaving while the other receives, then leaves too
                .addCustomScenario(Scenarios.on(DisconnectOps.class)
                        .init(a("trySend", 1), a("trySend", 2))
                        .thread(a("closeReceiver", 0), a("trySend", 4))
                        .thread(a("tryRecv", 1), a("trySend", 3), a("closeReceiver", 1))
                        .build());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void queueModelChecking(Kind k) {
        kind = k;
        queueScenarios(shape(new ModelCheckingOptions()))
                .invocationsPerIteration(INVOCATIONS)
                .sequentialSpecification(QueueModel.class)
                .check(QueueOps.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void queueStress(Kind k) {
        kind = k;
        queueScenarios(shape(new StressOptions()))
                .invocationsPerIteration(INVOCATIONS * 2)
                .sequentialSpecification(QueueModel.class)
                .check(QueueOps.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void disconnectModelChecking(Kind k) {
        kind = k;
        disconnectScenarios(shape(new ModelCheckingOptions()))
                .invocationsPerIteration(INVOCATIONS)
                .sequentialSpecification(DisconnectModel.class)
                .check(DisconnectOps.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void disconnectStress(Kind k) {
        kind = k;
        disconnectScenarios(shape(new StressOptions()))
                .invocationsPerIteration(INVOCATIONS * 2)
                .sequentialSpecification(DisconnectModel.class)
                .check(DisconnectOps.class);
    }
}
