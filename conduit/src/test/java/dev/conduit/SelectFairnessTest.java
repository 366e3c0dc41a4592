package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fairness of {@link Select} (API.md: "when several branches are ready one is chosen uniformly at
 * random, so no branch starves"), checked statistically.
 *
 * <h2>The statistics</h2>
 * Each test runs {@link #SELECTS} selects with its branches kept ready and applies two Pearson
 * chi-square tests, each with a critical value at the upper {@code 1e-6} quantile of its chi-square
 * distribution (computed with {@code scipy.stats.chi2.isf(1e-6, df)}):
 * <ol>
 *   <li><b>frequencies</b>: how often each of the {@code k} ready branches was chosen
 *       ({@code k - 1} degrees of freedom). An always-first choice, or a "random start, then scan in
 *       order" choice with a branch that is not ready (which favours the ready branch after the gap),
 *       puts this statistic in the thousands;</li>
 *   <li><b>pairs</b>: the choices of non-overlapping consecutive pairs of selects (calls 2j and
 *       2j+1), {@code k * k} cells, {@code k * k - 1} degrees of freedom. A rotating (round-robin)
 *       choice has perfect frequencies but fails this one by thousands.</li>
 * </ol>
 * With 40,000 selects a frequency test detects a branch chosen about 2.5% (relative) more or less
 * often than it should. If the choice is uniform and independent, each test fails falsely with
 * probability {@code p < 1e-6}; this class runs 8 of them, so a false failure of the class has
 * probability below {@code 1e-5}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelectFairnessTest {

    /** Selects per test (scaled by {@code -Dconduit.stress.scale}); even, for the pair test. */
    private static final int SELECTS = 40_000 * Math.max(1, Integer.getInteger("conduit.stress.scale", 1));

    /** {@code scipy.stats.chi2.isf(1e-6, df)} for df = 0, 1, ..., 15. */
    private static final double[] CRITICAL_1E6 = {
        Double.NaN, 23.928, 27.631, 30.665, 33.377, 35.888, 38.258, 40.522, 42.701, 44.811, 46.863,
        48.866, 50.825, 52.747, 54.635, 56.493,
    };

    /** Two receive branches on buffered channels, refilled after each select, are each chosen about half the time, independently of the previous choice. */
    @Test
    void twoAlwaysReadyReceiveBranchesAreChosenEqually() throws Exception {
        Channel<Integer> a = Channels.bounded(16);
        Channel<Integer> b = Channels.unbounded();
        assertThat(a.sender().trySend(0)).isTrue();
        assertThat(b.sender().trySend(1)).isTrue();
        Select<Integer> sel = new Select<Integer>().recv(a.receiver(), m -> m).recv(b.receiver(), m -> m);
        int[] choices = new int[SELECTS];
        for (int i = 0; i < SELECTS; i++) {
            int c = sel.select();
            choices[i] = c;
            assertThat((c == 0 ? a : b).sender().trySend(c)).isTrue(); // refill the one that was taken
        }
        assertUniform("2 receive branches", choices, 2);
    }

    /**
     * Four always-ready branches of different kinds (receive on a bounded and on an unbounded
     * channel, both refilled; send on an unbounded channel; receive on tick(ZERO)) are each chosen
     * about a quarter of the time, independently of the previous choice.
     */
    @Test
    void fourAlwaysReadyBranchesOfMixedKindsAreChosenEqually() throws Exception {
        Channel<Integer> bounded = Channels.bounded(16);
        Channel<Integer> unbounded = Channels.unbounded();
        Channel<Integer> out = Channels.unbounded();
        Receiver<Instant> tick = Channels.tick(Duration.ZERO);
        assertThat(bounded.sender().trySend(0)).isTrue();
        assertThat(unbounded.sender().trySend(1)).isTrue();
        Select<Integer> sel = new Select<Integer>()
                .recv(bounded.receiver(), m -> m)
                .recv(unbounded.receiver(), m -> m)
                .send(out.sender(), 2, () -> 2)
                .recv(tick, t -> 3);
        int[] choices = new int[SELECTS];
        for (int i = 0; i < SELECTS; i++) {
            int c = (i % 3 == 0) ? sel.trySelect().orElseThrow() : sel.select();
            choices[i] = c;
            switch (c) {
                case 0:
                    assertThat(bounded.sender().trySend(0)).isTrue();
                    break;
                case 1:
                    assertThat(unbounded.sender().trySend(1)).isTrue();
                    break;
                case 2:
                    assertThat(out.receiver().tryRecv()).isEqualTo(2);
                    break;
                default:
                    break;
            }
        }
        assertUniform("4 mixed branches", choices, 4);
    }

    /**
     * Three ready branches separated by branches that are never ready (an empty channel, never(), a
     * full channel's send) are each chosen about a third of the time: the branches that are not ready
     * do not shift the odds towards their neighbours.
     */
    @Test
    void readyBranchesAroundNotReadyOnesAreChosenEqually() throws Exception {
        Channel<Integer> a = Channels.bounded(1);
        Channel<Integer> b = Channels.bounded(16);
        Channel<Integer> c = Channels.unbounded();
        Channel<Integer> empty = Channels.unbounded();
        Channel<Integer> full = Channels.bounded(1);
        assertThat(full.sender().trySend(-1)).isTrue();
        for (Channel<Integer> ch : Arrays.asList(a, b, c)) {
            assertThat(ch.sender().trySend(0)).isTrue();
        }
        Select<Integer> sel = new Select<Integer>()
                .recv(a.receiver(), m -> 0)
                .recv(empty.receiver(), m -> -1)
                .recv(Channels.<Integer>never(), m -> -1)
                .send(full.sender(), -3, () -> -1)
                .recv(b.receiver(), m -> 1)
                .recv(c.receiver(), m -> 2);
        int[] choices = new int[SELECTS];
        for (int i = 0; i < SELECTS; i++) {
            int k = sel.select(Duration.ofSeconds(10)).orElseThrow();
            assertThat(k).as("a branch that is not ready was chosen").isNotNegative();
            choices[i] = k;
            assertThat((k == 0 ? a : k == 1 ? b : c).sender().trySend(0)).isTrue();
        }
        assertUniform("3 ready of 6 branches", choices, 3);
    }

    /**
     * Two receive branches on the same channel (always holding messages) are each chosen about half
     * the time: naming a channel twice does not bias the choice.
     */
    @Test
    void twoBranchesOnOneChannelAreChosenEqually() throws Exception {
        Channel<Integer> ch = Channels.bounded(16);
        assertThat(ch.sender().trySend(0)).isTrue();
        Select<Integer> sel = new Select<Integer>().recv(ch.receiver(), m -> 0).recv(ch.receiver(), m -> 1);
        int[] choices = new int[SELECTS];
        for (int i = 0; i < SELECTS; i++) {
            choices[i] = sel.select();
            assertThat(ch.sender().trySend(0)).isTrue();
        }
        assertUniform("2 branches on one channel", choices, 2);
    }

    // ---- statistics -----------------------------------------------------------------------------

    /** Applies the frequency and the pair test to {@code choices} (values 0..k-1). */
    private static void assertUniform(String what, int[] choices, int k) {
        long[] freq = new long[k];
        long[] pairs = new long[k * k];
        for (int i = 0; i < choices.length; i++) {
            freq[choices[i]]++;
            if ((i & 1) == 1) {
                pairs[choices[i - 1] * k + choices[i]]++;
            }
        }
        double chiFreq = chiSquare(freq, (double) choices.length / k);
        double chiPairs = chiSquare(pairs, (double) (choices.length / 2) / (k * k));
        assertThat(chiFreq)
                .as("%s: chi-square of the frequencies %s (df %d; p < 1e-6 above %.3f)", what,
                        Arrays.toString(freq), k - 1, CRITICAL_1E6[k - 1])
                .isLessThan(CRITICAL_1E6[k - 1]);
        assertThat(chiPairs)
                .as("%s: chi-square of the consecutive pairs %s (df %d; p < 1e-6 above %.3f)", what,
                        Arrays.toString(pairs), k * k - 1, CRITICAL_1E6[k * k - 1])
                .isLessThan(CRITICAL_1E6[k * k - 1]);
    }

    private static double chiSquare(long[] observed, double expected) {
        double sum = 0;
        for (long o : observed) {
            double d = o - expected;
            sum += d * d / expected;
        }
        return sum;
    }
}
