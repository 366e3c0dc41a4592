package dev.conduit.examples;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.Receiver;
import dev.conduit.Sender;

/**
 * A rendezvous channel, {@code Channels.bounded(0)} (Rust: {@code mpsc::sync_channel(0)}): it buffers
 * nothing, so {@code send} returns only once a receiver has taken the message. The receiver waits
 * 500 ms before calling {@code recv()}; the sender stays blocked all that time, and its
 * "Message has been received!" line can only come after the receiver took the message.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    public static void main(String[] args) throws Exception {
        Channel<String> handOff = Channels.bounded(0);
        Sender<String> tx = handOff.sender();
        try (Receiver<String> rx = handOff.receiver()) {
            System.out.println("Receiver: I will wait 500 ms before receiving...");

            JoinHandle sender = JoinHandle.spawn("sender", () -> {
                try (tx) {
                    System.out.println("Sender: preparing to send a message...");
                    long start = System.nanoTime();
                    tx.send("Hello, synchronous world!"); // blocks until the receiver takes it
                    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
                    if (waitedMillis < 400) {
                        throw new IllegalStateException("send() returned after " + waitedMillis
                                + " ms, before the receiver could have taken the message");
                    }
                    System.out.println("Sender: Message has been received! (send() was blocked "
                            + "for about half a second)");
                }
            });

            Thread.sleep(500);
            System.out.println("Receiver: calling recv() now");
            String message = rx.recv();
            sender.join(); // print after the sender's line, so the output reads the same every run
            System.out.println("Receiver: got the message: '" + message + "'");
        }
    }
}
