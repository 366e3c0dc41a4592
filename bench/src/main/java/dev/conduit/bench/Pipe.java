package dev.conduit.bench;

/**
 * The one adapter every implementation is driven through: a channel seen as blocking send and
 * blocking receive ends. Each implementation maps them to its idiomatic blocking calls (put/take,
 * transfer/take, Jox send/receive, Conduit send/recv); the JCTools reference maps them to busy-spin
 * offer/poll. The harness code is the same for all of them.
 */
interface Pipe extends AutoCloseable {

    /** The sending end of a pipe, as one thread uses it. */
    @FunctionalInterface
    interface Tx {
        void send(Integer m) throws InterruptedException;
    }

    /** The receiving end of a pipe, as one thread uses it. */
    @FunctionalInterface
    interface Rx {
        Integer recv() throws InterruptedException;
    }

    /**
     * The sending end for producer {@code index} (an implementation with handles, like Conduit,
     * gives each thread its own handle; a queue gives the queue). For a select pipe, producer
     * {@code index} feeds lane {@code index % lanes}.
     */
    Tx tx(int index);

    /** The receiving end for consumer {@code index} (for a select pipe: a select over all lanes). */
    Rx rx(int index);

    /** Releases handles; called after every thread using the pipe has ended. */
    @Override
    default void close() {
    }
}
