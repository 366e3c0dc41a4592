package dev.conduit.examples;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.Receiver;
import dev.conduit.Sender;

/**
 * Two messages with a pause between them, received with {@code for (String m : rx)}. The loop
 * ends by itself: when the pastry kitchen's try-with-resources closes the only sender, the
 * receiver drains what is left and the iteration stops (Rust: {@code for m in rx}, which ends
 * when {@code tx} is dropped).
 */
public final class TwoDeliveries {
    private TwoDeliveries() {
    }

    public static void main(String[] args) throws Exception {
        Channel<String> tube = Channels.unbounded();
        Sender<String> tx = tube.sender();
        try (Receiver<String> rx = tube.receiver()) {
            System.out.println("Main kitchen: waiting for baked goods...");

            JoinHandle pastryKitchen = JoinHandle.spawn("pastry-kitchen", () -> {
                try (tx) {
                    System.out.println("Pastry kitchen: sending a perfectly baked croissant");
                    tx.send("a perfectly baked croissant");
                    Thread.sleep(300); // more baking
                    System.out.println("Pastry kitchen: sending a fresh baguette, our last delivery");
                    tx.send("a fresh baguette");
                } // tx is closed here: the main kitchen's loop will end
            });

            int count = 0;
            for (String delivery : rx) { // blocks for each message; ends at disconnection
                count++;
                System.out.println("Main kitchen: received " + delivery + "!");
            }
            System.out.println("Main kitchen: the tube is closed, " + count + " deliveries in all");
            pastryKitchen.join();
        }
    }
}
