package dev.conduit;

/**
 * A new channel's two first handles: one {@link Sender} and one {@link Receiver}.
 *
 * <pre>{@code
 * Channel<String> ch = Channels.bounded(16);
 * Sender<String> tx = ch.sender();
 * Receiver<String> rx = ch.receiver();
 * }</pre>
 *
 * <p>Both handles are open and independent: closing one does not close the other; clone them for
 * more producers or consumers.
 *
 * @param <T> the type of the messages
 */
public final class Channel<T> {

    private final Sender<T> sender;
    private final Receiver<T> receiver;

    Channel(Sender<T> sender, Receiver<T> receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    /**
     * The channel's first sender handle.
     *
     * @return the sender
     */
    public Sender<T> sender() {
        return sender;
    }

    /**
     * The channel's first receiver handle.
     *
     * @return the receiver
     */
    public Receiver<T> receiver() {
        return receiver;
    }

    @Override
    public String toString() {
        return "Channel[" + sender.chan() + "]";
    }
}
