package dev.conduit.examples;

import java.util.concurrent.ExecutionException;

/**
 * A platform thread started for an example, joined like Rust's {@code JoinHandle}: {@link #join()}
 * waits for the thread and rethrows whatever made it fail, so a failing thread fails its example.
 */
final class JoinHandle {
    /** The body of a thread: like {@link Runnable}, but it may throw (a blocking call, a check). */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private volatile Throwable failure;

    private JoinHandle(String name, Body body) {
        this.thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
    }

    /** Starts a (non-daemon) platform thread named {@code name} running {@code body}. */
    static JoinHandle spawn(String name, Body body) {
        JoinHandle handle = new JoinHandle(name, body);
        handle.thread.start();
        return handle;
    }

    /** Waits for the thread to end; throws if its body threw (Rust: {@code handle.join().unwrap()}). */
    void join() throws InterruptedException, ExecutionException {
        thread.join();
        Throwable t = failure;
        if (t != null) {
            throw new ExecutionException("thread '" + thread.getName() + "' failed", t);
        }
    }
}
