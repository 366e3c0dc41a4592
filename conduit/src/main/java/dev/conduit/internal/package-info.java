/**
 * The core notes: how Conduit is built and why it is correct. Not exported; free to change.
 *
 * <h2>Layers</h2>
 * Dependencies point one way: {@code dev.conduit} (the API) &rarr; {@code internal.select}
 * &rarr; {@code internal.flavor} &rarr; {@code internal.wait}.
 * <ol>
 *   <li><b>API</b> ({@code dev.conduit}): argument checks, handle state, one call into a flavor,
 *       and the only place that throws public exceptions. Internals return codes and sentinels
 *       ({@link dev.conduit.internal.Flavor}).</li>
 *   <li><b>Channel</b> ({@link dev.conduit.internal.Chan}): a flavor plus the counts of open
 *       sender and receiver handles; the last close of a side disconnects it.</li>
 *   <li><b>Flavors</b> ({@code internal.flavor}), one file each, behind
 *       {@link dev.conduit.internal.Flavor}: {@code ArrayFlavor} (bounded ring),
 *       {@code ListFlavor} (linked blocks: unbounded, and bounded beyond 65,536),
 *       {@code ZeroFlavor} (rendezvous), {@code AtFlavor}, {@code TickFlavor},
 *       {@code NeverFlavor} (timers computed from the clock, no thread).</li>
 *   <li><b>Waiting protocol</b> ({@code internal.wait}): the only code that parks and unparks.</li>
 *   <li><b>Select</b> ({@code internal.select.Selector}): tries branches in random order, then
 *       waits on all of them with one waiter, through the same protocol.</li>
 * </ol>
 *
 * <h2>The flavor contract</h2>
 * Direct operations ({@code trySend}, {@code send(m, deadline, handle)}, {@code tryRecv},
 * {@code recv(deadline, handle)}) serve the handles. Two-phase operations ({@code startSend} then
 * {@code write}; {@code startRecv} then {@code read}) serve select: a start claims the operation
 * without blocking, and only the branch that wins completes its claim, so a select never takes or
 * sends anything through a losing branch. {@code register}/{@code unregister}/{@code isReady}/
 * {@code accept} let select wait on the flavor. A new flavor (broadcast, oneshot, a remote
 * channel) is one class implementing this interface plus its tests.
 *
 * <h2>The waiting handshake, and why it cannot lose a wake-up</h2>
 * A thread that cannot proceed spins, then yields for up to 60 microseconds, retrying
 * ({@code Backoff}). Then it takes its thread's {@code Waiter} (state {@code WAITING}),
 * <em>registers</em> an {@code Entry} in the flavor's wait list, <em>re-checks</em> whether the
 * operation became possible (or the channel disconnected, or its handle closed) and if so aborts
 * its own wait, then <em>parks</em> until its waiter's state changes. A thread that makes progress
 * (a send into a channel with waiting receivers, a receive that frees a slot) first publishes its
 * change with a volatile write or CAS, then reads the wait list's volatile "anyone waiting?"
 * flag, and only if it is set takes the lock and selects one waiter by CAS
 * ({@code WAITING -> operation}), then unparks it. Both sides write, then read, volatile
 * variables, which Java orders sequentially consistently, so at least one of them sees the
 * other: either the waiter's re-check sees the progress, or the notifier sees the waiter. No
 * {@code synchronized}, no {@code Object.wait}: locks are {@code ReentrantLock}s, held only for
 * list manipulation, never while parking.
 *
 * <p>A waiter is selected at most once per wait (one CAS from {@code WAITING}), by whoever comes
 * first: a peer (operation id), a disconnecting thread, the closer of its handle, or the waiter
 * itself (time-out, interrupt, re-check). A rendezvous peer hands the message over through the
 * entry; a buffered flavor's selection only means "try again", so a retry that loses to another
 * thread cannot lose a wake-up (that thread's success notifies in turn).
 *
 * <h2>Disconnection order</h2>
 * The last close of a side: (1) the count reaches zero (CAS; counts are never revived), (2) the
 * flavor marks itself disconnected (a mark bit in the tail for buffered flavors, a flag under the
 * lock for rendezvous), (3) every waiter is selected with {@code DISCONNECTED} and unparked,
 * (4) if receivers left, buffered messages are claimed and dropped like receives, so a send that
 * claimed a slot before the mark is waited for and nothing stays reachable. A send that claimed
 * before the mark succeeded (it is linearized before the disconnection); a send after it fails
 * and returns its message.
 *
 * <h2>Access-mode rules</h2>
 * Every VarHandle access names its mode. Positions (head, tail) are read volatile and changed by
 * CAS or fetch-or, because the waiting handshake needs them sequentially consistent with the
 * waiters' flags. Slot contents are published by a release store (a stamp, or the message itself
 * in a list block) and read after an acquire load of the same location; the message arrays
 * themselves are accessed plainly between those pairs. Each weaker-than-volatile access names,
 * in a comment, the access it pairs with.
 */
package dev.conduit.internal;
