package dev.conduit.bench;

/**
 * Creates the pipe of one implementation for one scenario. The names are the {@code impl}
 * parameter values of the benchmarks:
 * <ul>
 *   <li>{@code conduit}: {@code Channels.bounded(n)} / {@code Channels.unbounded()}, send/recv;</li>
 *   <li>{@code abq}: {@code ArrayBlockingQueue}, put/take (bounded only);</li>
 *   <li>{@code lbq}: {@code LinkedBlockingQueue}, put/take (bounded and unbounded);</li>
 *   <li>{@code ltq}: {@code LinkedTransferQueue}, put/take unbounded, transfer/take at capacity 0;</li>
 *   <li>{@code sq}: {@code SynchronousQueue}, put/take (capacity 0 only);</li>
 *   <li>{@code jox}: Jox {@code Channel}, send/receive (buffered, rendezvous, unlimited);</li>
 *   <li>{@code jctools}: JCTools array queues with busy-spin offer/poll, the reference for what the
 *       hardware allows, not a peer;</li>
 *   <li>{@code jctools_mpmc}: JCTools {@code MpmcArrayQueue} with busy-spin offer/poll for every
 *       thread count, the ceiling for a queue that, like a channel, any thread may use from either
 *       end (bounded only).</li>
 * </ul>
 * Capacity {@link #UNBOUNDED} means unbounded, 0 means rendezvous.
 */
final class Pipes {
    static final int UNBOUNDED = -1;

    private Pipes() {
    }

    /**
     * A pipe for {@code producers} sending threads and {@code consumers} receiving threads (the
     * JCTools reference picks its single/multi producer/consumer queue from these counts).
     */
    static Pipe create(String impl, int capacity, int producers, int consumers) {
        return switch (impl) {
            case "conduit" -> ConduitPipes.channel(capacity);
            case "jox" -> JoxPipes.channel(capacity);
            case "jctools" -> SpinPipes.queue(capacity, producers, consumers);
            case "jctools_mpmc" -> SpinPipes.mpmcQueue(capacity);
            case "abq", "lbq", "ltq", "sq" -> QueuePipes.queue(impl, capacity);
            default -> throw new IllegalArgumentException("unknown implementation: " + impl);
        };
    }

    /**
     * A pipe of {@code lanes} channels of {@code capacity}: producer i sends on lane i % lanes,
     * and a receive is a select over every lane (each implementation's own select).
     */
    static Pipe createSelect(String impl, int lanes, int capacity) {
        return switch (impl) {
            case "conduit" -> ConduitPipes.select(lanes, capacity);
            case "jox" -> JoxPipes.select(lanes, capacity);
            case "jctools" -> SpinPipes.select(lanes, capacity);
            default -> throw new IllegalArgumentException("no select for implementation: " + impl);
        };
    }

    static IllegalArgumentException unsupported(String impl, int capacity) {
        String what = capacity == UNBOUNDED ? "unbounded" : capacity == 0 ? "rendezvous" : "bounded(" + capacity + ")";
        return new IllegalArgumentException(impl + " has no " + what + " form");
    }
}
