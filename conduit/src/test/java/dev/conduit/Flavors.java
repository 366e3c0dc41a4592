package dev.conduit;

import java.util.stream.Stream;

/**
 * The channel flavors every contract test runs on, as named factories: rendezvous ({@code bounded(0)}),
 * the ring buffer at capacities 1, 2, 16 and 1024, and the unbounded list. Parameterized tests take a
 * {@link Flavor} from one of the {@code @MethodSource} streams below, e.g.
 * {@code @MethodSource("dev.conduit.Flavors#all")}.
 */
final class Flavors {
    private Flavors() {}

    /** Marker capacity of the unbounded flavor. */
    static final int UNBOUNDED = -1;

    /** One way to make a channel; {@code toString()} is its name in test reports. */
    record Flavor(String name, int capacity) {
        <T> Channel<T> create() {
            return capacity == UNBOUNDED ? Channels.unbounded() : Channels.bounded(capacity);
        }

        boolean isRendezvous() {
            return capacity == 0;
        }

        boolean isUnbounded() {
            return capacity == UNBOUNDED;
        }

        /** A {@code send} can block on this flavor (bounded, rendezvous included). */
        boolean canBlockSend() {
            return capacity != UNBOUNDED;
        }

        /** How many messages fit in the buffer before a send would block (rendezvous: 0). */
        int room() {
            return capacity == UNBOUNDED ? Integer.MAX_VALUE : capacity;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Flavor RENDEZVOUS = new Flavor("bounded(0)", 0);
    static final Flavor BOUNDED_1 = new Flavor("bounded(1)", 1);
    static final Flavor BOUNDED_2 = new Flavor("bounded(2)", 2);
    static final Flavor BOUNDED_16 = new Flavor("bounded(16)", 16);
    static final Flavor BOUNDED_1024 = new Flavor("bounded(1024)", 1024);
    static final Flavor UNBOUNDED_LIST = new Flavor("unbounded", UNBOUNDED);

    /** Every flavor. */
    static Stream<Flavor> all() {
        return Stream.of(RENDEZVOUS, BOUNDED_1, BOUNDED_2, BOUNDED_16, BOUNDED_1024, UNBOUNDED_LIST);
    }

    /** Flavors that buffer messages (all but rendezvous). */
    static Stream<Flavor> buffered() {
        return all().filter(f -> !f.isRendezvous());
    }

    /** Flavors where {@code send} can block: {@code bounded(n)} for every n, rendezvous included. */
    static Stream<Flavor> bounded() {
        return all().filter(Flavor::canBlockSend);
    }

    /** Ring-buffer flavors: {@code bounded(n)} with n >= 1. */
    static Stream<Flavor> ring() {
        return all().filter(f -> f.capacity() >= 1);
    }
}
