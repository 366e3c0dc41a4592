package dev.conduit;

import dev.conduit.internal.Chan;
import dev.conduit.internal.Flavor;

/**
 * Reaches package-private parts of the public API from test packages ({@code dev.conduit.lincheck},
 * {@code dev.conduit.soak}): channels built on a flavor of the test's choosing (such as a list with
 * shrunk blocks) and the channel's waiter count, for leak checks. Flavors travel as {@code Object}
 * in these signatures because their package is not exported by the module.
 */
public final class TestAccess {
    private TestAccess() {}

    /** A new channel (one sender, one receiver) on {@code flavor}, a {@code Flavor<T>}, named {@code kind} in messages. */
    @SuppressWarnings("unchecked")
    public static <T> Channel<T> channel(Object flavor, String kind) {
        Chan<T> chan = new Chan<>((Flavor<T>) flavor, kind, 1, 1);
        return new Channel<>(new Sender<>(chan), new Receiver<>(chan));
    }

    /** How many waiter entries the channel of {@code tx} holds (both sides). */
    public static int waiterCount(Sender<?> tx) {
        return tx.waiterCount();
    }

    /** How many waiter entries the channel of {@code rx} holds (both sides). */
    public static int waiterCount(Receiver<?> rx) {
        return rx.waiterCount();
    }

    /** The flavor (a {@code Flavor}) behind {@code tx}'s channel. */
    public static Object flavor(Sender<?> tx) {
        return tx.chan().flavor;
    }
}
