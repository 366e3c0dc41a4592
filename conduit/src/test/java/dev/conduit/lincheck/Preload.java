package dev.conduit.lincheck;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import dev.conduit.TestAccess;
import dev.conduit.internal.flavor.ListFlavor;
import java.time.Duration;

/**
 * Uses every part of the library once, outside Lincheck: the Lincheck tests call it first, so
 * that they run as they would after the rest of the suite (all classes already loaded), which is
 * the case where Lincheck instruments nothing it does not find from the test instance. A Lincheck
 * test that still finds its bugs after this does not depend on the order of the suite.
 */
final class Preload {
    private Preload() {}

    static void everything() {
        try {
            for (int capacity : new int[] {0, 1, 16, -1, -3}) {
                Channel<Integer> ch = capacity == -1 ? Channels.unbounded()
                        : capacity == -3 ? TestAccess.channel(new ListFlavor<>(2, 4), "bounded list")
                        : Channels.bounded(capacity);
                Sender<Integer> tx = ch.sender();
                Receiver<Integer> rx = ch.receiver();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 5; i++) {
                            tx.send(i);
                        }
                        new Select<Object>().send(tx, 9, () -> "sent").select();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                for (int i = 0; i < 5; i++) {
                    Thread.sleep(1);
                    rx.recv();
                }
                new Select<Object>().recv(rx, m -> m).recv(Channels.never(), m -> m).select(Duration.ofSeconds(5));
                t.join();
                rx.tryRecv(Duration.ofMillis(1));
                tx.trySend(1, Duration.ofMillis(1));
                tx.clone().close();
                rx.clone().close();
                tx.close();
                try {
                    while (rx.tryRecv() != null) {
                        // drain
                    }
                } catch (dev.conduit.DisconnectedException end) {
                    // expected: drained and disconnected
                }
                rx.close();
                TestAccess.waiterCount(rx);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
