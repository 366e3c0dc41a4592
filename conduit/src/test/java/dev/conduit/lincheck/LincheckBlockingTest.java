package dev.conduit.lincheck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import dev.conduit.TestAccess;
import dev.conduit.internal.flavor.ListFlavor;
import dev.conduit.internal.wait.Parker;
import java.util.Objects;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.LincheckSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model checking (Lincheck 3.7, {@code Lincheck.runConcurrentTest}) of the blocking operations,
 * close races and select, with parking routed through {@link MonitorParker}: a park ends only by
 * an unpark, so a lost wake-up leaves a thread blocked for ever, and the checker reports the
 * interleaving ("Concurrent test has hung", with the trace) ({@link #lostWakeUpIsReported}
 * proves that it does). Each scenario
 * builds a fresh channel, runs two or three threads, and checks the outcome, the ledger and that
 * no waiter is left registered.
 *
 * <p>Capacities: 0 (rendezvous), 1, 2 (ring) and -1 (unbounded list with blocks of two slots, so
 * that block ends are crossed). Sizes: {@code -Dconduit.lincheck.invocations=N} interleavings per
 * scenario (default 40; 5000 for a long run).
 *
 * <p>What the checker cannot do here, and why:
 * <ul>
 *   <li>No timeouts: under the model checker a timed park is a spurious wake-up and the clock is
 *       not modelled, so a timed wait could spin for ever. Timeouts are covered by the soak and
 *       the stress tests.</li>
 *   <li>No virtual threads (Lincheck runs its own platform threads); the soak covers them.</li>
 *   <li>Lincheck 3.7 does not treat a {@code VarHandle.getAndBitwiseOr} on a {@code long} field as a
 *       shared-memory access, so it never switches threads just before the disconnect mark is set
 *       in the ring and list flavors; the window between the handle count reaching zero and the
 *       mark is covered by {@link DisconnectWindowStressTest}.</li>
 * </ul>
 * How it is set up, and why: the channels live in static fields (Lincheck's advice for JDK 25);
 * assertions are plain {@code if}s (AssertJ's {@code equals} throws inside Lincheck's analysis);
 * the loop bound is raised to 200 ({@link #SETTINGS}, passed through Lincheck's
 * {@code runConcurrentTestInternal}, the public entry point's Kotlin-internal twin), because the
 * default (50) takes the library's bounded back-off (up to 64 spin-wait hints in one step) for a
 * livelock and reports a hang that is not one; and the library is used once before the checks ({@link Preload}), so
 * that the checks are known to work when the rest of the suite ran first in the same JVM.
 */
class LincheckBlockingTest {

    static final int INVOCATIONS = Integer.getInteger("conduit.lincheck.invocations", 40);

    static final LincheckSettings SETTINGS = new LincheckSettings(true, 10, 200, 20);

    static Sender<Integer> tx, txB;
    static Receiver<Integer> rx, rxB;
    static volatile Object r1, r2;

    @BeforeAll
    static void installParker() {
        Preload.everything();
        MonitorParker.install();
    }

    @AfterAll
    static void restoreParker() {
        MonitorParker.uninstall();
    }

    static Channel<Integer> make(int capacity) {
        return capacity == -1
                ? TestAccess.channel(new ListFlavor<>(ListFlavor.UNBOUNDED, 2), "unbounded(lap 2)")
                : Channels.bounded(capacity);
    }

    /** A fresh channel (and a second one, for select) of the given capacity, in the static fields. */
    static void fresh(int capacity) {
        MonitorParker.INSTANCE.reset();
        Channel<Integer> a = make(capacity);
        Channel<Integer> b = make(capacity);
        tx = a.sender();
        rx = a.receiver();
        txB = b.sender();
        rxB = b.receiver();
        r1 = r2 = null;
    }

    interface Body {
        void run() throws Exception;
    }

    static Thread start(Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        return t;
    }

    static void join(Thread... threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** AssertJ cannot run inside Lincheck's analysis (Lincheck calls equals on assertion objects). */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static void noWaiters() {
        int a = TestAccess.waiterCount(rx);
        int b = TestAccess.waiterCount(rxB);
        check(a == 0 && b == 0, "waiters left registered: " + a + " and " + b);
    }

    /** What a receive ended with: the message, or the name of the exception. */
    static Object recvOutcome(Receiver<Integer> r) {
        try {
            return r.recv();
        } catch (DisconnectedException e) {
            return "disconnected";
        } catch (IllegalStateException e) {
            return "closed";
        } catch (InterruptedException e) {
            return "interrupted";
        }
    }

    /** What a send ended with: "sent", or the name of the exception (with the unsent message). */
    static Object sendOutcome(Sender<Integer> s, int m) {
        try {
            s.send(m);
            return "sent";
        } catch (DisconnectedException e) {
            return "disconnected " + e.unsentMessage();
        } catch (IllegalStateException e) {
            return "closed";
        } catch (InterruptedException e) {
            return "interrupted";
        }
    }

    static void mc(Body scenario) {
        // Lincheck's default loop bound (50) takes the library's bounded back-off (up to 64
        // spin-wait hints per step) for a livelock; 200 lets a bounded spin finish.
        Lincheck.runConcurrentTestInternal$lincheck(INVOCATIONS, SETTINGS, () -> {
            try {
                scenario.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    // ---- the checker itself --------------------------------------------------------------------

    /**
     * A parker that loses every unpark makes a parked receiver hang: the checker must report it.
     * (The sender waits until the receiver parks; otherwise the receiver's spin would see the
     * hand-off before parking and nothing would be lost.)
     */
    @Test
    void lostWakeUpIsReported() {
        Parker.install(MonitorParker.LOSSY);
        try {
            assertThatThrownBy(() -> mc(() -> {
                fresh(0);
                MonitorParker.LOSSY.reset();
                Thread a = start(() -> r1 = rx.recv());
                Thread b = start(() -> {
                    while (MonitorParker.LOSSY.parks == 0) {
                        Thread.yield();
                    }
                    tx.send(1);
                });
                join(a, b);
            })).isInstanceOf(LincheckAssertionError.class).hasMessageContaining("has hung");
        } finally {
            MonitorParker.install();
        }
    }

    // ---- hand-off ------------------------------------------------------------------------------

    /** Two messages from one sender reach one receiver, in order, whatever the interleaving. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 2, -1})
    void handOffInOrder(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> {
                tx.send(1);
                tx.send(2);
            });
            Thread b = start(() -> {
                r1 = rx.recv();
                r2 = rx.recv();
            });
            join(a, b);
            check(Objects.equals(r1, 1) && Objects.equals(r2, 2), "received " + r1 + ", " + r2);
            noWaiters();
        });
    }

    /** Two blocked senders and one receiver taking twice: both messages arrive, nobody hangs. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void twoSendersOneReceiver(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> tx.send(1));
            Thread b = start(() -> tx.send(2));
            Object x = recvOutcome(rx);
            Object y = recvOutcome(rx);
            join(a, b);
            check((Objects.equals(x, 1) && Objects.equals(y, 2)) || (Objects.equals(x, 2) && Objects.equals(y, 1)),
                    "received " + x + ", " + y);
            noWaiters();
        });
    }

    /** A rendezvous trySend succeeds once the receiver waits; the spinning sender is not lost. */
    @Test
    void rendezvousTrySendMeetsWaitingReceiver() {
        mc(() -> {
            fresh(0);
            Thread a = start(() -> r1 = rx.recv());
            Thread b = start(() -> {
                while (!tx.trySend(7)) {
                    Thread.yield();
                }
            });
            join(a, b);
            check(Objects.equals(r1, 7), "received " + r1);
            noWaiters();
        });
    }

    // ---- close races ---------------------------------------------------------------------------

    /** Closing the last sender wakes a blocked receiver with the end of the channel. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, -1})
    void closeLastSenderWakesReceiver(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> r1 = recvOutcome(rx));
            Thread b = start(() -> tx.close());
            join(a, b);
            check("disconnected".equals(r1), "receive ended with " + r1);
            noWaiters();
        });
    }

    /** A message sent before the last sender closes is received before the end is reported. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, -1})
    void sendThenCloseIsDrainedThenEnds(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> {
                tx.send(1);
                tx.close();
            });
            Thread b = start(() -> {
                r1 = recvOutcome(rx);
                r2 = recvOutcome(rx);
            });
            join(a, b);
            check(Objects.equals(r1, 1) && "disconnected".equals(r2), "received " + r1 + ", then " + r2);
            noWaiters();
        });
    }

    /** Closing the last receiver wakes a sender blocked on a full channel; the message comes back. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void closeLastReceiverWakesSender(int capacity) {
        mc(() -> {
            fresh(capacity);
            for (int i = 0; i < capacity; i++) {
                check(tx.trySend(100 + i), "prefill");
            }
            Thread a = start(() -> r1 = sendOutcome(tx, 9));
            Thread b = start(() -> rx.close());
            join(a, b);
            check("disconnected 9".equals(r1), "send ended with " + r1);
            check(tx.isDisconnected(), "sender sees the disconnection");
            noWaiters();
        });
    }

    /** Closing the very handle a receive blocks on wakes it with "closed"; the channel goes on working. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, -1})
    void closingTheBlockedHandleWakesIt(int capacity) {
        mc(() -> {
            fresh(capacity);
            Receiver<Integer> clone = rx.clone();
            rxB = clone; // published through a static field for the checker
            Thread a = start(() -> r1 = recvOutcome(rxB));
            Thread b = start(() -> rxB.close());
            join(a, b);
            check("closed".equals(r1), "receive ended with " + r1);
            check(!rx.isClosed() && !tx.isDisconnected(), "the other receiver keeps the channel connected");
            rxB = rx;
            noWaiters();
        });
    }

    /** A sender blocked through a handle that another thread closes is woken with "closed". */
    @Test
    void closingTheBlockedSenderHandleWakesIt() {
        mc(() -> {
            fresh(0);
            txB = tx.clone();
            Thread a = start(() -> r1 = sendOutcome(txB, 3));
            Thread b = start(() -> txB.close());
            join(a, b);
            check("closed".equals(r1), "send ended with " + r1);
            check(!rx.isDisconnected(), "the other sender keeps the channel connected");
            txB = tx;
            rxB = rx;
            noWaiters();
        });
    }

    /** An interrupt ends a blocked receive with InterruptedException, leaves no waiter, and the channel works. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void interruptEndsBlockedReceive(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> r1 = recvOutcome(rx));
            a.interrupt();
            join(a);
            check("interrupted".equals(r1), "receive ended with " + r1);
            noWaiters();
            Thread b = start(() -> r2 = recvOutcome(rx));
            tx.send(5);
            join(b);
            check(Objects.equals(r2, 5), "after the interrupt, received " + r2);
            noWaiters();
        });
    }

    // ---- select --------------------------------------------------------------------------------

    /** A select over two receive branches takes exactly one message; the other stays for a later receive. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, -1})
    void selectTakesExactlyOne(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> tx.send(1));
            Thread b = start(() -> txB.send(2));
            Select<Object> sel = new Select<Object>()
                    .recv(rx, m -> m)
                    .recv(rxB, m -> m);
            Object first = sel.select();
            Object second = Objects.equals(first, 1) ? recvOutcome(rxB) : recvOutcome(rx);
            join(a, b);
            check((Objects.equals(first, 1) && Objects.equals(second, 2))
                    || (Objects.equals(first, 2) && Objects.equals(second, 1)), "got " + first + ", then " + second);
            check(rx.tryRecv() == null && rxB.tryRecv() == null, "nothing taken twice or left over");
            noWaiters();
        });
    }

    /** Send and receive branches on one rendezvous channel never pair with each other; a peer completes one. */
    @Test
    void selectSendAndRecvOnOneRendezvousChannel() {
        mc(() -> {
            fresh(0);
            Thread a = start(() -> r1 = new Select<Object>()
                    .send(tx, 1, () -> "sent")
                    .recv(rx, m -> "received " + m)
                    .select());
            Thread b = start(() -> r2 = recvOutcome(rx));
            join(a, b);
            check("sent".equals(r1) && Objects.equals(r2, 1), "select " + r1 + ", peer " + r2);
            noWaiters();
        });
    }

    /** A select blocked on a receive branch is woken by the disconnection and runs the disconnect handler. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void selectWokenByDisconnection(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> r1 = new Select<Object>()
                    .recv(rx, m -> "message " + m, () -> "gone")
                    .recv(rxB, m -> "message B " + m)
                    .select());
            Thread b = start(() -> tx.close());
            join(a, b);
            check("gone".equals(r1), "select returned " + r1);
            noWaiters();
        });
    }

    /** Closing the handle of one branch wakes a blocked select with "closed"; nothing is taken. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void closingABranchHandleWakesSelect(int capacity) {
        mc(() -> {
            fresh(capacity);
            Receiver<Integer> clone = rx.clone();
            rxB = clone;
            Thread a = start(() -> {
                try {
                    r1 = new Select<Object>().recv(rxB, m -> "message " + m).select();
                } catch (IllegalStateException e) {
                    r1 = "closed";
                }
            });
            Thread b = start(() -> rxB.close());
            join(a, b);
            check("closed".equals(r1), "select ended with " + r1);
            rxB = rx;
            noWaiters();
        });
    }

    /** An interrupt ends a blocked select with InterruptedException; no branch completes, no waiter stays. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void interruptEndsBlockedSelect(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> {
                try {
                    r1 = new Select<Object>().recv(rx, m -> "message " + m).recv(rxB, m -> "message B " + m).select();
                } catch (InterruptedException e) {
                    r1 = "interrupted";
                }
            });
            a.interrupt();
            join(a);
            check("interrupted".equals(r1), "select ended with " + r1);
            noWaiters();
        });
    }

    /** A select send branch and a plain receiver: the message arrives exactly once. */
    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1})
    void selectSendBranchToBlockedReceiver(int capacity) {
        mc(() -> {
            fresh(capacity);
            Thread a = start(() -> r1 = recvOutcome(rx));
            Thread b = start(() -> r2 = new Select<Object>()
                    .send(tx, 4, () -> "sent A")
                    .send(txB, 5, () -> "sent B")
                    .select());
            join(b);
            if ("sent B".equals(r2)) {
                tx.send(6); // release the receiver
            }
            join(a);
            check(("sent A".equals(r2) && Objects.equals(r1, 4)) || ("sent B".equals(r2) && Objects.equals(r1, 6)),
                    "select " + r2 + ", receiver " + r1);
            noWaiters();
        });
    }
}
