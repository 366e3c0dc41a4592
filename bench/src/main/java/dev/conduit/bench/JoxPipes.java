package dev.conduit.bench;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.Select;
import com.softwaremill.jox.SelectClause;

/** Jox channels with their blocking send/receive, and Jox's {@code Select.select} over clauses. */
final class JoxPipes {
    private JoxPipes() {
    }

    private static Channel<Integer> newChannel(int capacity) {
        if (capacity == Pipes.UNBOUNDED) {
            return Channel.newUnlimitedChannel();
        }
        return capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity);
    }

    static Pipe channel(int capacity) {
        Channel<Integer> ch = newChannel(capacity);
        return new Pipe() {
            @Override
            public Tx tx(int index) {
                return ch::send;
            }

            @Override
            public Rx rx(int index) {
                return ch::receive;
            }

            @Override
            public void close() {
                ch.done();
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Pipe select(int lanes, int capacity) {
        Channel<Integer>[] chans = new Channel[lanes];
        for (int i = 0; i < lanes; i++) {
            chans[i] = newChannel(capacity);
        }
        return new Pipe() {
            @Override
            public Tx tx(int index) {
                return chans[index % lanes]::send;
            }

            @Override
            public Rx rx(int index) {
                // The clauses are immutable descriptions; like Conduit's Select they are built once
                // per receiving thread and reused for every select.
                SelectClause<Integer>[] clauses = new SelectClause[lanes];
                for (int i = 0; i < lanes; i++) {
                    clauses[i] = chans[i].receiveClause();
                }
                return () -> Select.select(clauses);
            }

            @Override
            public void close() {
                for (Channel<Integer> ch : chans) {
                    ch.done();
                }
            }
        };
    }
}
