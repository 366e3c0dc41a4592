package dev.conduit.internal.flavor;

import dev.conduit.internal.wait.Deadlines;

/**
 * {@code Channels.never()}: never delivers, never disconnects; capacity 0, so both empty and full.
 * One instance serves every {@code never()} receiver. Receivers block until their deadline, an
 * interrupt, or the close of their handle.
 */
public final class NeverFlavor extends TimerFlavor {

    @Override
    public Object tryRecv() {
        return EMPTY;
    }

    @Override
    public long observe(boolean send) {
        return 0;
    }

    @Override
    public long readyAt() {
        return Deadlines.NONE;
    }

    @Override
    public int capacity() {
        return 0;
    }

    @Override
    public boolean isEmpty() {
        return true;
    }

    @Override
    public boolean isFull() {
        return true;
    }
}
