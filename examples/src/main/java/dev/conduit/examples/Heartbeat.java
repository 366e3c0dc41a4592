package dev.conduit.examples;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.DisconnectedException;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import java.time.Duration;
import java.time.Instant;

/**
 * A worker that takes jobs from a channel and watches two timer channels in the same
 * {@link Select}: a {@link Channels#tick(Duration) tick} heartbeat, and an
 * {@link Channels#after(Duration) after} deadline (Rust: crossbeam's {@code tick} and
 * {@code after}). It stops after a given number of heartbeats or at the deadline, whichever comes
 * first. Two shifts show both: the morning shift ends on its third heartbeat, the evening shift
 * at its deadline.
 *
 * <p>When the worker stops it closes its receiver; the dispatcher's next {@code send} then throws
 * {@link DisconnectedException}, which hands back the job that could not be delivered (Rust: the
 * {@code SendError} that carries the value).
 */
public final class Heartbeat {
    private Heartbeat() {
    }

    private enum Kind { JOB, BEAT, DEADLINE, NO_MORE_JOBS }

    /** What a select call produced: its kind, and the job number for {@code JOB}. */
    private record Event(Kind kind, int job) {
    }

    public static void main(String[] args) throws Exception {
        shift("Morning shift", Duration.ofMillis(200), 3, Duration.ofSeconds(5));
        shift("Evening shift", Duration.ofMillis(200), 100, Duration.ofMillis(500));
    }

    private static void shift(String name, Duration beat, int maxBeats, Duration deadline) throws Exception {
        System.out.println(name + ": heartbeat every " + beat.toMillis() + " ms, stop after " + maxBeats
                + " heartbeats or at " + deadline.toMillis() + " ms, whichever comes first");
        Channel<Integer> jobs = Channels.bounded(2);
        Sender<Integer> tx = jobs.sender();
        JoinHandle dispatcher = JoinHandle.spawn("dispatcher", () -> {
            try (tx) {
                for (int job = 1; ; job++) {
                    try {
                        tx.send(job); // blocks while two jobs already wait
                    } catch (DisconnectedException e) {
                        System.out.println("  Dispatcher: the worker has gone; job #" + e.unsentMessage()
                                + " came back unsent");
                        return;
                    }
                    Thread.sleep(40);
                }
            }
        });

        int done = 0;
        int beats = 0;
        String reason;
        try (Receiver<Integer> rx = jobs.receiver();
             Receiver<Instant> heartbeat = Channels.tick(beat);
             Receiver<Instant> closingTime = Channels.after(deadline)) {
            Select<Event> select = new Select<Event>()
                    .recv(rx, job -> new Event(Kind.JOB, job), () -> new Event(Kind.NO_MORE_JOBS, 0))
                    .recv(heartbeat, firedAt -> new Event(Kind.BEAT, 0))
                    .recv(closingTime, firedAt -> new Event(Kind.DEADLINE, 0));
            while (true) {
                Event event = select.select();
                if (event.kind() == Kind.JOB) {
                    Thread.sleep(25); // the work itself
                    done++;
                } else if (event.kind() == Kind.BEAT) {
                    beats++;
                    System.out.println("  Worker: heartbeat " + beats + ", " + done + " jobs done so far");
                    if (beats == maxBeats) {
                        reason = "heartbeat " + beats;
                        break;
                    }
                } else if (event.kind() == Kind.DEADLINE) {
                    reason = "the " + deadline.toMillis() + " ms deadline";
                    break;
                } else {
                    reason = "the dispatcher closing the jobs channel";
                    break;
                }
            }
            System.out.println("  Worker: stopping on " + reason + " with " + done + " jobs done");
        } // closes the jobs receiver: the dispatcher's next send fails
        dispatcher.join();
    }
}
