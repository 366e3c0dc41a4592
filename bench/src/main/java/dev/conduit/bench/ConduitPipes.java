package dev.conduit.bench;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;

import java.util.ArrayList;
import java.util.List;

/** Conduit through the public API only: each thread gets its own cloned handle, as a user would. */
final class ConduitPipes {
    private ConduitPipes() {
    }

    static Pipe channel(int capacity) {
        Channel<Integer> ch = capacity == Pipes.UNBOUNDED ? Channels.unbounded() : Channels.bounded(capacity);
        return new Handles(List.of(ch.sender()), List.of(ch.receiver()), null);
    }

    static Pipe select(int lanes, int capacity) {
        List<Sender<Integer>> senders = new ArrayList<>();
        List<Receiver<Integer>> receivers = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            Channel<Integer> ch = capacity == Pipes.UNBOUNDED ? Channels.unbounded() : Channels.bounded(capacity);
            senders.add(ch.sender());
            receivers.add(ch.receiver());
        }
        return new Handles(senders, receivers, receivers);
    }

    /** Lanes of channels; with {@code selected} set, a receive is a select over all of them. */
    private static final class Handles implements Pipe {
        private final List<Sender<Integer>> senders;
        private final List<Receiver<Integer>> receivers;
        private final List<Receiver<Integer>> selected;
        private final List<AutoCloseable> opened = new ArrayList<>();

        Handles(List<Sender<Integer>> senders, List<Receiver<Integer>> receivers, List<Receiver<Integer>> selected) {
            this.senders = senders;
            this.receivers = receivers;
            this.selected = selected;
        }

        @Override
        public synchronized Tx tx(int index) {
            Sender<Integer> s = senders.get(index % senders.size()).clone();
            opened.add(s);
            return s::send;
        }

        @Override
        public synchronized Rx rx(int index) {
            if (selected == null) {
                Receiver<Integer> r = receivers.get(index % receivers.size()).clone();
                opened.add(r);
                return r::recv;
            }
            // One Select per receiving thread, built once and reused for every message (API.md
            // allows reuse); the handler hands the message back as the select's result.
            Select<Integer> select = new Select<>();
            for (Receiver<Integer> r : selected) {
                Receiver<Integer> mine = r.clone();
                opened.add(mine);
                select.recv(mine, m -> m);
            }
            return select::select;
        }

        @Override
        public synchronized void close() {
            for (AutoCloseable c : opened) {
                closeQuietly(c);
            }
            senders.forEach(ConduitPipes::closeQuietly);
            receivers.forEach(ConduitPipes::closeQuietly);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a handle of a finished benchmark: nothing to do about a failure
        }
    }
}
