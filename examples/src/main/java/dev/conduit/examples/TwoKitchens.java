package dev.conduit.examples;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.Receiver;
import dev.conduit.Sender;
import java.util.ArrayList;
import java.util.List;

/**
 * Multiple producers: two kitchens send dishes to one head waiter, one through the original sender
 * and one through a clone. Each kitchen closes its own handle; when both are closed the channel is
 * disconnected and the head waiter's {@code for} loop ends (Rust: {@code tx.clone()}, one handle
 * moved into each thread, each dropped when its thread ends).
 *
 * <p>The channel keeps each kitchen's dishes in the order that kitchen sent them; how the two
 * kitchens interleave depends on timing (here, kitchen 2 starts 150 ms after kitchen 1).
 */
public final class TwoKitchens {
    private TwoKitchens() {
    }

    public static void main(String[] args) throws Exception {
        Channel<String> pass = Channels.unbounded();
        Sender<String> tx = pass.sender();
        Sender<String> tx1 = tx.clone(); // a second handle to the same channel

        try (Receiver<String> headWaiter = pass.receiver()) {
            JoinHandle kitchen1 = JoinHandle.spawn("kitchen-1", () -> {
                try (tx1) { // closes the clone
                    serve(tx1, 0, "from kitchen 1: pizza", "from kitchen 1: calzone");
                }
            });
            JoinHandle kitchen2 = JoinHandle.spawn("kitchen-2", () -> {
                try (tx) { // closes the original
                    serve(tx, 150, "from kitchen 2: salad", "from kitchen 2: soup");
                }
            });

            List<String> received = new ArrayList<>();
            for (String dish : headWaiter) { // ends once both handles are closed
                System.out.println("Head waiter: received '" + dish + "'");
                received.add(dish);
            }
            kitchen1.join();
            kitchen2.join();

            checkKitchenOrder(received, "kitchen 1: pizza", "kitchen 1: calzone");
            checkKitchenOrder(received, "kitchen 2: salad", "kitchen 2: soup");
            System.out.println("Head waiter: both kitchens closed their senders; " + received.size()
                    + " dishes, each kitchen's in the order it sent them");
        }
    }

    /** Sends the dishes 300 ms apart, after an initial delay. */
    private static void serve(Sender<String> tx, long startDelayMillis, String... dishes)
            throws InterruptedException {
        Thread.sleep(startDelayMillis);
        for (String dish : dishes) {
            tx.send(dish);
            Thread.sleep(300);
        }
    }

    /** The per-sender FIFO guarantee: {@code first} arrived before {@code second}. */
    private static void checkKitchenOrder(List<String> received, String first, String second) {
        int a = indexOfSuffix(received, first);
        int b = indexOfSuffix(received, second);
        if (a < 0 || b < 0 || a > b) {
            throw new IllegalStateException("expected '" + first + "' before '" + second + "': " + received);
        }
    }

    private static int indexOfSuffix(List<String> received, String suffix) {
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }
}
