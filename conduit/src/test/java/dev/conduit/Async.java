package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A task run on its own thread (platform daemon, or virtual), so that a test can block in one thread
 * and act from another. Every wait on it is bounded by {@link TestSupport#PATIENCE}; a task that does
 * not finish fails the test with the task's stack trace (the place where it hangs).
 */
final class Async<V> {
    /** The body of a task; may throw anything. */
    @FunctionalInterface
    interface Task<V> {
        V call() throws Exception;
    }

    /** A task without a result. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile V value;
    private volatile Throwable failure;
    /** Interrupt status of the task's thread when the body finished (for interrupt-status checks). */
    private volatile boolean interruptedAtEnd;

    private Async(Thread.Builder builder, String name, Task<V> task) {
        this.thread = builder.name(name).unstarted(() -> {
            try {
                value = task.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                interruptedAtEnd = Thread.currentThread().isInterrupted();
                done.countDown();
            }
        });
        thread.start();
    }

    /** Runs {@code task} on a new platform (daemon) thread. */
    static <V> Async<V> call(String name, Task<V> task) {
        return new Async<>(Thread.ofPlatform().daemon(true), name, task);
    }

    /** Runs {@code action} on a new platform (daemon) thread. */
    static Async<Void> run(String name, Action action) {
        return call(name, () -> {
            action.run();
            return null;
        });
    }

    /** Runs {@code task} on a new virtual thread. */
    static <V> Async<V> callVirtual(String name, Task<V> task) {
        return new Async<>(Thread.ofVirtual(), name, task);
    }

    Thread thread() {
        return thread;
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    void interrupt() {
        thread.interrupt();
    }

    /** Waits for the task to end; false if it did not end within the given time. */
    boolean await(long millis) {
        try {
            return done.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("test thread interrupted", e);
        }
    }

    private void awaitOrFail() {
        awaitOrFail(TestSupport.PATIENCE);
    }

    private void awaitOrFail(java.time.Duration max) {
        if (!await(max.toMillis())) {
            throw new AssertionError("task '" + thread.getName() + "' did not finish within " + max
                    + "; it is at:\n" + stack());
        }
    }

    String stack() {
        return Arrays.stream(thread.getStackTrace()).map(e -> "    at " + e).collect(Collectors.joining("\n"));
    }

    /** The task's result; fails if the task threw or does not finish within {@link TestSupport#PATIENCE}. */
    V get() {
        return get(TestSupport.PATIENCE);
    }

    /** The task's result; fails if the task threw or does not finish within {@code max}. */
    V get(java.time.Duration max) {
        awaitOrFail(max);
        if (failure != null) {
            throw new AssertionError("task '" + thread.getName() + "' failed: " + failure, failure);
        }
        return value;
    }

    /** What the task threw; fails if it completed normally or does not finish. */
    Throwable failure() {
        awaitOrFail();
        assertThat(failure).as("task '%s' was expected to throw but returned %s", thread.getName(), value)
                .isNotNull();
        return failure;
    }

    /** Interrupt status of the task's thread at the moment its body ended. */
    boolean interruptedAtEnd() {
        awaitOrFail();
        return interruptedAtEnd;
    }

    /** Asserts that the task is still running after {@link TestSupport#GRACE} (it is blocked). */
    void assertBlocked() {
        assertThat(await(TestSupport.GRACE.toMillis()))
                .as("task '%s' should still be blocked, but it ended (result %s, failure %s)", thread.getName(),
                        value, failure)
                .isFalse();
    }
}
