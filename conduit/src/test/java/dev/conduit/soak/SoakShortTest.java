package dev.conduit.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak ({@link Soak}) for a short time in the default test run: every flavor, platform and
 * virtual threads, interrupts, timeouts, handle churn and mid-flight disconnection, with a clean
 * ledger required. Length: {@code -Dconduit.soak.seconds=N} (default 60); the seed is printed and
 * can be fixed with {@code -Dconduit.soak.seed=S}. The long run is {@code scripts/soak 10m}.
 */
class SoakShortTest {

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortSoakKeepsACleanLedger() throws Exception {
        long seconds = Long.getLong("conduit.soak.seconds", 60);
        long seed = Long.getLong("conduit.soak.seed", System.nanoTime());
        System.out.println("soak: " + seconds + " s, seed " + seed);
        Soak.Report r = Soak.run(Duration.ofSeconds(seconds), seed);
        System.out.print(r);
        assertThat(r.sent).as("messages sent").isPositive();
        assertThat(r.received).as("messages received").isPositive();
        assertThat(r.problems).as("problems (seed " + seed + ")").isEmpty();
        assertThat(r.lost).as("lost").isZero();
        assertThat(r.duplicated).as("duplicated").isZero();
        assertThat(r.waitersLeft).as("waiters left").isZero();
        assertThat(r.threadsLeft).as("threads left").isZero();
    }
}
