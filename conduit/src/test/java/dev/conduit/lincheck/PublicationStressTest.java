package dev.conduit.lincheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.Channel;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-off publishes the message: a receiver never sees a partly constructed message.
 *
 * <p>The flavors publish a message with a release store (ring: the slot stamp; list: the slot
 * itself; rendezvous: {@code Entry.ready}) paired with an acquire load before the read, and
 * nothing else orders the message's own fields. So the messages here have only plain, non-final
 * fields, written by the constructor on the sending thread just before the send; each receiver
 * checks them at once. A broken pairing (a plain store of the slot, a missing acquire) lets the
 * JIT or the CPU make the reference visible before the fields, and the check sees zeros. Plain
 * and select sends and receives are mixed; every message is checked and counted.
 *
 * <p>An equivalent of a jcstress test in JUnit, so it proves less than jcstress would on a weak
 * memory machine: on x86 (total store order) only compiler reordering can show. Sizes:
 * {@code -Dconduit.lincheck.publicationMessages=N} per flavor (default 400,000).
 */
class PublicationStressTest {

    static final int MESSAGES = Integer.getInteger("conduit.lincheck.publicationMessages", 400_000);

    /** A message whose fields are all plain and non-final. */
    static final class Parcel {
        int id;
        long twice;
        int[] payload;
        String label;

        Parcel(int id) {
            this.id = id;
            this.twice = 2L * id + 1;
            this.payload = new int[] {id, ~id};
            this.label = LABELS[id & 7];
        }

        /** Null if the fields are all as the constructor wrote them, else what is wrong. */
        String defect() {
            int i = id;
            if (twice != 2L * i + 1) {
                return "twice " + twice + " for id " + i;
            }
            int[] p = payload;
            if (p == null || p.length != 2 || p[0] != i || p[1] != ~i) {
                return "payload for id " + i;
            }
            if (label != LABELS[i & 7]) {
                return "label " + label + " for id " + i;
            }
            return null;
        }
    }

    static final String[] LABELS = {"a", "b", "c", "d", "e", "f", "g", "h"};

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 16, -1, -3})
    void receiversSeeFullyConstructedMessages(int capacity) throws Exception {
        // -1: unbounded; -3: unbounded with blocks of one slot (lap 2), crossing a block end on every message
        Channel<Parcel> ch = capacity == -1 ? dev.conduit.Channels.unbounded()
                : capacity == -3 ? dev.conduit.TestAccess.channel(
                        new dev.conduit.internal.flavor.ListFlavor<>(dev.conduit.internal.flavor.ListFlavor.UNBOUNDED, 2), "unbounded(lap 2)")
                : dev.conduit.Channels.bounded(capacity);
        int producers = 2;
        int consumers = 2;
        int perProducer = capacity == 0 ? MESSAGES / 8 : MESSAGES / producers;
        AtomicLong received = new AtomicLong();
        AtomicLong defects = new AtomicLong();
        List<String> firstDefects = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        Sender<Parcel> tx = ch.sender();
        Receiver<Parcel> rx = ch.receiver();
        for (int p = 0; p < producers; p++) {
            Sender<Parcel> mine = tx.clone();
            int base = p * perProducer;
            boolean viaSelect = (p & 1) == 1;
            threads.add(Thread.ofPlatform().start(() -> {
                try (mine) {
                    for (int i = 0; i < perProducer; i++) {
                        Parcel m = new Parcel(base + i);
                        if (viaSelect) {
                            new Select<Boolean>().send(mine, m, () -> true).select();
                        } else {
                            mine.send(m);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        tx.close();
        for (int c = 0; c < consumers; c++) {
            Receiver<Parcel> mine = rx.clone();
            boolean viaSelect = (c & 1) == 1;
            threads.add(Thread.ofPlatform().start(() -> {
                try (mine) {
                    Select<Parcel> sel = new Select<Parcel>().recv(mine, m -> m);
                    for (;;) {
                        Parcel m = viaSelect ? sel.select() : mine.recv();
                        String d = m.defect();
                        if (d != null) {
                            defects.incrementAndGet();
                            if (firstDefects.size() < 5) {
                                firstDefects.add(d);
                            }
                        }
                        received.incrementAndGet();
                    }
                } catch (DisconnectedException end) {
                    // every sender closed and all received
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        rx.close();
        for (Thread t : threads) {
            t.join(120_000);
            assertThat(t.isAlive()).as("thread %s finished", t).isFalse();
        }
        assertThat(firstDefects).as("defects seen").isEmpty();
        assertThat(defects.get()).isZero();
        assertThat(received.get()).isEqualTo((long) producers * perProducer);
    }
}
