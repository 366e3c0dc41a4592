package dev.conduit.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;

/** The java.util.concurrent queues with their blocking calls: put/take (transfer/take for LTQ at 0). */
final class QueuePipes {
    private QueuePipes() {
    }

    static Pipe queue(String impl, int capacity) {
        boolean unbounded = capacity == Pipes.UNBOUNDED;
        boolean rendezvous = capacity == 0;
        switch (impl) {
            case "abq":
                if (unbounded || rendezvous) {
                    throw Pipes.unsupported(impl, capacity);
                }
                return of(new ArrayBlockingQueue<>(capacity));
            case "lbq":
                if (rendezvous) {
                    throw Pipes.unsupported(impl, capacity);
                }
                return of(unbounded ? new LinkedBlockingQueue<>() : new LinkedBlockingQueue<>(capacity));
            case "ltq":
                if (unbounded) {
                    return of(new LinkedTransferQueue<>());
                }
                if (rendezvous) {
                    LinkedTransferQueue<Integer> q = new LinkedTransferQueue<>();
                    return new Pipe() {
                        @Override
                        public Tx tx(int index) {
                            return q::transfer;
                        }

                        @Override
                        public Rx rx(int index) {
                            return q::take;
                        }
                    };
                }
                throw Pipes.unsupported(impl, capacity);
            case "sq":
                if (!rendezvous) {
                    throw Pipes.unsupported(impl, capacity);
                }
                return of(new SynchronousQueue<>());
            default:
                throw new IllegalArgumentException("unknown queue: " + impl);
        }
    }

    private static Pipe of(BlockingQueue<Integer> q) {
        return new Pipe() {
            @Override
            public Tx tx(int index) {
                return q::put;
            }

            @Override
            public Rx rx(int index) {
                return q::take;
            }
        };
    }
}
