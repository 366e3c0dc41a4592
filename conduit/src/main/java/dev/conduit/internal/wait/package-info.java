/**
 * The waiting protocol, shared by every flavor and by select: {@link dev.conduit.internal.wait.Waiter}
 * (a per-thread context selected at most once), {@link dev.conduit.internal.wait.Entry} (one
 * registration, with the rendezvous hand-off slot), {@link dev.conduit.internal.wait.WaitList}
 * and {@link dev.conduit.internal.wait.WaitQueue} (wait lists, the latter with its lock and its
 * "anyone waiting?" flag), {@link dev.conduit.internal.wait.Backoff} (spin, then yield),
 * {@link dev.conduit.internal.wait.Parker} (the only code that parks; a seam for tests) and
 * {@link dev.conduit.internal.wait.Deadlines}. See the notes in {@code dev.conduit.internal}.
 */
package dev.conduit.internal.wait;
