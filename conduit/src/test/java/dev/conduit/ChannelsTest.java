package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract of the factories in {@link Channels} (API.md, "Creating channels"), for the core flavors. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("a new channel is ready to use: open, connected, empty, and its two handles belong to it")
    void newChannelIsReadyToUse(Flavors.Flavor f) throws InterruptedException {
        Channel<String> ch = f.create();
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        assertThat(tx).isNotNull();
        assertThat(rx).isNotNull();
        assertThat(ch.sender()).as("a Channel holds one Sender").isSameAs(tx);
        assertThat(ch.receiver()).as("a Channel holds one Receiver").isSameAs(rx);
        assertThat(tx.isClosed()).isFalse();
        assertThat(rx.isClosed()).isFalse();
        assertThat(tx.isDisconnected()).isFalse();
        assertThat(rx.isDisconnected()).isFalse();
        assertThat(tx.size()).isZero();
        assertThat(rx.size()).isZero();
        assertThat(tx.isEmpty()).isTrue();
        assertThat(rx.isEmpty()).isTrue();
        assertThat(tx.waiterCount()).isZero();
        assertThat(rx.waiterCount()).isZero();

        // and it carries a message from its sender to its receiver
        Async<String> r = Async.call("receiver", rx::recv);
        tx.send("hello");
        assertThat(r.get()).isEqualTo("hello");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("capacity() is the requested capacity on both handles, and empty for unbounded")
    void capacityIsReported(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        OptionalInt expected = f.isUnbounded() ? OptionalInt.empty() : OptionalInt.of(f.capacity());
        assertThat(ch.sender().capacity()).isEqualTo(expected);
        assertThat(ch.receiver().capacity()).isEqualTo(expected);
    }

    @Test
    @DisplayName("bounded(0) is a rendezvous: capacity 0, size 0, and both empty and full")
    void rendezvousIsEmptyAndFull() {
        Channel<String> ch = Channels.bounded(0);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        assertThat(tx.capacity()).isEqualTo(OptionalInt.of(0));
        assertThat(rx.capacity()).isEqualTo(OptionalInt.of(0));
        assertThat(tx.size()).isZero();
        assertThat(rx.size()).isZero();
        assertThat(tx.isEmpty()).isTrue();
        assertThat(rx.isEmpty()).isTrue();
        assertThat(tx.isFull()).isTrue();
        assertThat(rx.isFull()).isTrue();
        assertThat(ch.sender().trySend("x")).as("no receiver waits, so the rendezvous cannot take it").isFalse();
    }

    @Test
    @DisplayName("unbounded() never becomes full: 100,000 trySends succeed without a receiver")
    void unboundedNeverFull() {
        Channel<Integer> ch = Channels.unbounded();
        for (int i = 0; i < 100_000; i++) {
            if (!ch.sender().trySend(i)) {
                fail("trySend #" + i + " was refused by an unbounded channel");
            }
        }
        assertThat(ch.sender().isFull()).isFalse();
        assertThat(ch.receiver().size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            Integer m = ch.receiver().tryRecv();
            if (m == null || m != i) {
                fail("message #" + i + " came out as " + m);
            }
        }
        assertThat(ch.receiver().tryRecv()).isNull();
    }

    @ParameterizedTest(name = "bounded({0})")
    @ValueSource(ints = {-1, -2, -1024, Integer.MIN_VALUE})
    @DisplayName("a negative capacity is rejected with IllegalArgumentException")
    void negativeCapacityRejected(int capacity) {
        assertThatThrownBy(() -> Channels.bounded(capacity)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(capacity).replace("-", ""));
    }

    /**
     * A huge capacity either works (and then nothing of its size was allocated up front: creating the
     * channel allocates well under 64 MiB) or fails at once with an IllegalArgumentException whose
     * message names the limit (a number other than the requested capacity). OutOfMemoryError fails.
     */
    @ParameterizedTest(name = "bounded({0})")
    @ValueSource(ints = {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 1 << 28})
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("a huge capacity works without allocating it up front, or fails fast naming the limit")
    void hugeCapacityWorksOrFailsFast(int capacity) throws InterruptedException {
        long before = AllocationCounter.isSupported() ? AllocationCounter.currentThread() : 0;
        Channel<String> ch;
        try {
            ch = Channels.bounded(capacity);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            assertThat(msg).as("the IllegalArgumentException's message").isNotBlank();
            Matcher numbers = Pattern.compile("\\d+").matcher(msg.replace("_", "").replace(",", ""));
            boolean namesAnotherNumber = false;
            while (numbers.find()) {
                if (!numbers.group().equals(String.valueOf(capacity))) {
                    namesAnotherNumber = true;
                }
            }
            assertThat(namesAnotherNumber).as("the message names the limit: \"%s\"", msg).isTrue();
            return;
        } catch (OutOfMemoryError e) {
            fail("bounded(" + capacity + ") ran out of memory instead of working or failing fast", e);
            return;
        }
        long allocated = AllocationCounter.isSupported() ? AllocationCounter.currentThread() - before : 0;
        assertThat(allocated).as("bytes allocated by bounded(%d)", capacity).isLessThan(64L << 20);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        assertThat(tx.capacity()).isEqualTo(OptionalInt.of(capacity));
        for (int i = 0; i < 1000; i++) {
            assertThat(tx.trySend("m" + i)).isTrue();
        }
        assertThat(tx.isFull()).isFalse();
        assertThat(rx.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(rx.recv()).isEqualTo("m" + i);
        }
        assertThat(rx.tryRecv()).isNull();
    }

    @Test
    @DisplayName("two channels are independent: different channels for sameChannel, and messages do not cross")
    void channelsAreIndependent() {
        Channel<String> a = Channels.bounded(4);
        Channel<String> b = Channels.bounded(4);
        assertThat(a.sender().sameChannel(b.sender())).isFalse();
        assertThat(a.receiver().sameChannel(b.receiver())).isFalse();
        assertThat(a.sender().sameChannel(a.sender())).isTrue();
        assertThat(a.receiver().sameChannel(a.receiver())).isTrue();
        assertThat(a.sender().trySend("to a")).isTrue();
        assertThat(b.receiver().tryRecv()).isNull();
        assertThat(a.receiver().tryRecv()).isEqualTo("to a");
    }
}
