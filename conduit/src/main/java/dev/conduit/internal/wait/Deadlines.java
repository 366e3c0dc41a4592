package dev.conduit.internal.wait;

import java.time.Duration;

/**
 * Deadlines as {@link System#nanoTime()} values, with one sentinel for "no deadline".
 *
 * <p>A timeout becomes a deadline once, at the API edge. Negative timeouts count as zero; a
 * timeout too large to add to the clock without overflow (anything over about 146 years, such as
 * {@code Duration.ofSeconds(Long.MAX_VALUE)}) means "wait without limit". Deadlines are compared
 * by subtraction, which is correct across the wrap of {@code nanoTime}.
 */
public final class Deadlines {

    /** The deadline that never passes. */
    public static final long NONE = Long.MIN_VALUE;

    /** Timeouts at or above this many nanoseconds (about 146 years) mean "no deadline". */
    static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    private Deadlines() {
    }

    /** A timeout in nanoseconds: negative becomes 0, too large for a {@code long} saturates. */
    public static long toNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    /** The deadline {@code timeoutNanos} (&gt;= 0) from now, or {@link #NONE} if it is too large to matter. */
    public static long after(long timeoutNanos) {
        if (timeoutNanos >= FOREVER_NANOS) {
            return NONE;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        return deadline == NONE ? deadline + 1 : deadline;
    }

    /** Nanoseconds left until {@code deadline} (never {@link #NONE}); 0 or less when it passed. */
    public static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    /** Whether {@code deadline} has passed. */
    public static boolean passed(long deadline) {
        return deadline != NONE && deadline - System.nanoTime() <= 0;
    }

    /** The earlier of two deadlines, {@link #NONE} counting as the latest. */
    public static long earlier(long a, long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }
}
