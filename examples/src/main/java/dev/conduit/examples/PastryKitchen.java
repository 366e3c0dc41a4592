package dev.conduit.examples;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Sender;

/**
 * One message through a channel: the pastry kitchen's thread sends a croissant, the main kitchen
 * (the main thread) waits for it with {@code recv()}.
 *
 * <p>Rust: {@code let (tx, rx) = mpsc::channel(); thread::spawn(move || tx.send(..)); rx.recv()}.
 * Moving {@code tx} into the thread becomes: the thread owns the handle and closes it when done.
 */
public final class PastryKitchen {
    private PastryKitchen() {
    }

    public static void main(String[] args) throws Exception {
        Channel<String> tube = Channels.unbounded();
        Sender<String> tx = tube.sender();
        try (Receiver<String> rx = tube.receiver()) {
            System.out.println("Main kitchen: waiting for the pastry kitchen...");

            JoinHandle pastryKitchen = JoinHandle.spawn("pastry-kitchen", () -> {
                try (tx) { // this thread owns tx; leaving the block closes it (Rust: tx is dropped)
                    String croissant = "a perfectly baked croissant";
                    System.out.println("Pastry kitchen: sending " + croissant + "...");
                    tx.send(croissant);
                }
            });

            String received = rx.recv(); // blocks until the message arrives
            System.out.println("Main kitchen: received " + received + "!");
            pastryKitchen.join();

            // The only sender is closed and nothing is buffered: recv() reports disconnection
            // (Rust: recv() returns Err(RecvError)).
            try {
                rx.recv();
                throw new IllegalStateException("a second message arrived, but only one was sent");
            } catch (DisconnectedException expected) {
                System.out.println("Main kitchen: the pastry kitchen closed its end; recv() now "
                        + "throws DisconnectedException");
            }
        }
    }
}
