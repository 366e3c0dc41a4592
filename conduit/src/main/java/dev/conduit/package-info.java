/**
 * Conduit: channels for passing messages between threads, platform or virtual.
 *
 * <p>Do not communicate by sharing memory; share memory by communicating. A channel has a
 * sending end, {@link dev.conduit.Sender}, and a receiving end, {@link dev.conduit.Receiver};
 * threads hand messages through it instead of sharing state. The semantics are those of Rust's
 * {@code std::sync::mpsc} and crossbeam-channel, in the idioms of {@code java.util.concurrent}.
 *
 * <h2>Creating channels</h2>
 * <ul>
 *   <li>{@link dev.conduit.Channels#unbounded()}: sends never block.</li>
 *   <li>{@link dev.conduit.Channels#bounded(int) bounded(n)}: at most {@code n} messages wait;
 *       a full channel blocks the sender. {@code bounded(0)} is a rendezvous: each send waits
 *       for a receiver to take its message.</li>
 *   <li>{@link dev.conduit.Channels#after}, {@link dev.conduit.Channels#tick},
 *       {@link dev.conduit.Channels#never()}: timer receivers, for time-outs and heartbeats in a
 *       {@link dev.conduit.Select}.</li>
 * </ul>
 *
 * <h2>Handles and disconnection</h2>
 * Handles are cloned for more producers or consumers and closed (try-with-resources) like Rust's
 * {@code drop}. When the last sender is closed, receivers drain what is buffered and then see the
 * end ({@code for (T m : rx)} simply ends; {@code recv} throws
 * {@link dev.conduit.DisconnectedException}). When the last receiver is closed, senders get
 * their message back in a {@link dev.conduit.DisconnectedException}.
 *
 * <h2>Blocking</h2>
 * Blocking operations come in three forms: blocking ({@code send}, {@code recv}), non-blocking
 * ({@code trySend}, {@code tryRecv}) and with a time-out. Blocked threads spin briefly, then park;
 * no operation holds a monitor while it waits, so virtual threads never pin their carrier. Every
 * blocking call is interruptible and, when interrupted, has had no effect.
 *
 * <h2>Rust to Conduit</h2>
 * <table>
 *   <caption>Rust terms and their Conduit counterparts</caption>
 *   <tr><th>Rust</th><th>Conduit</th></tr>
 *   <tr><td>{@code mpsc::channel()}</td><td>{@code Channels.unbounded()}</td></tr>
 *   <tr><td>{@code mpsc::sync_channel(n)}</td><td>{@code Channels.bounded(n)}</td></tr>
 *   <tr><td>{@code drop(tx)}</td><td>{@code tx.close()}</td></tr>
 *   <tr><td>{@code SendError}, {@code RecvError}</td><td>{@code DisconnectedException}</td></tr>
 *   <tr><td>{@code try_recv}, {@code recv_timeout}</td><td>{@code tryRecv()}, {@code tryRecv(Duration)}</td></tr>
 *   <tr><td>{@code select!}</td><td>{@code Select}</td></tr>
 * </table>
 */
package dev.conduit;
