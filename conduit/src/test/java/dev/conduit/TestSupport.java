package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared constants and polling helpers of the test suite. */
final class TestSupport {
    private TestSupport() {}

    /** Upper bound for something that must happen soon (generous: CI machines have 2 cores). */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How long a test watches for something that must NOT happen (a blocked call returning). */
    static final Duration GRACE = Duration.ofMillis(50);

    /** Size multiplier of the stress tests: {@code -Dconduit.stress.scale=N}, default 1. */
    static int scale() {
        int s = Integer.getInteger("conduit.stress.scale", 1);
        return Math.max(1, s);
    }

    /** Polls {@code condition} until it holds; fails (naming {@code what}) after {@link #PATIENCE}. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + PATIENCE + " waiting until " + what);
            }
            Thread.onSpinWait();
            sleepQuietly(1);
        }
    }

    /** Waits until at least {@code n} waiters are registered on the channel of {@code tx}. */
    static void awaitWaiters(Sender<?> tx, int n) {
        awaitCondition(n + " waiter(s) are registered (now " + tx.waiterCount() + ")", () -> tx.waiterCount() >= n);
    }

    /** Waits until at least {@code n} waiters are registered on the channel of {@code rx}. */
    static void awaitWaiters(Receiver<?> rx, int n) {
        awaitCondition(n + " waiter(s) are registered (now " + rx.waiterCount() + ")", () -> rx.waiterCount() >= n);
    }

    /** Waits until no waiter is registered on the channel of {@code rx} (a cancelled wait must unregister). */
    static void awaitNoWaiters(Receiver<?> rx) {
        awaitCondition("no waiter is registered (now " + rx.waiterCount() + ")", () -> rx.waiterCount() == 0);
    }

    /** Fills a bounded channel to capacity with 0, 1, ... by {@code trySend}; returns how many were sent. */
    static int fill(Flavors.Flavor f, Sender<Integer> tx) {
        int n = f.isUnbounded() ? 0 : f.capacity();
        for (int i = 0; i < n; i++) {
            assertThat(tx.trySend(i)).as("trySend #%d into %s with room", i, f).isTrue();
        }
        return n;
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("test thread interrupted", e);
        }
    }
}
