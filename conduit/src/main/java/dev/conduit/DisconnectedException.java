package dev.conduit;

/**
 * The other side of a channel is gone: every receiver handle was closed (thrown by sends), or
 * every sender handle was closed and nothing is left to receive (thrown by receives).
 *
 * <p>Rust's {@code SendError} and {@code RecvError}. A send that fails this way hands its message
 * back through {@link #unsentMessage()}, so nothing is lost:
 * <pre>{@code
 * try {
 *     tx.send(order);
 * } catch (DisconnectedException e) {
 *     retryElsewhere((Order) e.unsentMessage());
 * }
 * }</pre>
 */
public class DisconnectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The message a send could not deliver; null for receives. Not serialized. */
    private final transient Object unsentMessage;

    /**
     * An exception with a detail message and the message a send could not deliver.
     *
     * @param detail what happened, and on which channel
     * @param unsentMessage the undelivered message, or {@code null} when thrown by a receive
     */
    public DisconnectedException(String detail, Object unsentMessage) {
        super(detail);
        this.unsentMessage = unsentMessage;
    }

    /**
     * The message that a send could not deliver.
     *
     * @return the unsent message, or {@code null} when a receive threw this exception
     */
    public Object unsentMessage() {
        return unsentMessage;
    }
}
