package dev.conduit;

import static dev.conduit.TestSupport.awaitWaiters;
import static dev.conduit.TestSupport.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract of {@link DisconnectedException} (API.md, "DisconnectedException"), on every flavor. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DisconnectedExceptionTest {

    @Test
    @DisplayName("DisconnectedException is unchecked")
    void isUnchecked() {
        assertThat(RuntimeException.class).isAssignableFrom(DisconnectedException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("every send form on a disconnected channel throws DisconnectedException whose unsentMessage() is the very message")
    void sendFormsCarryTheMessage(Flavors.Flavor f) {
        Channel<StringBuilder> ch = f.create();
        Sender<StringBuilder> tx = ch.sender();
        ch.receiver().close();
        StringBuilder a = new StringBuilder("a");
        StringBuilder b = new StringBuilder("b");
        StringBuilder c = new StringBuilder("c");
        StringBuilder d = new StringBuilder("d");
        DisconnectedException e1 = catchThrowableOfType(DisconnectedException.class, () -> tx.send(a));
        DisconnectedException e2 = catchThrowableOfType(DisconnectedException.class, () -> tx.trySend(b));
        DisconnectedException e3 = catchThrowableOfType(DisconnectedException.class,
                () -> tx.trySend(c, Duration.ofSeconds(1)));
        DisconnectedException e4 = catchThrowableOfType(DisconnectedException.class,
                () -> tx.trySend(d, Duration.ZERO));
        assertThat(e1).as("send").isNotNull();
        assertThat(e2).as("trySend").isNotNull();
        assertThat(e3).as("trySend(timeout)").isNotNull();
        assertThat(e4).as("trySend(ZERO)").isNotNull();
        assertThat(e1.unsentMessage()).isSameAs(a);
        assertThat(e2.unsentMessage()).isSameAs(b);
        assertThat(e3.unsentMessage()).isSameAs(c);
        assertThat(e4.unsentMessage()).isSameAs(d);
        assertThat(e1.getMessage()).as("the exception says what happened").isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#bounded")
    @DisplayName("a send blocked on a full channel and woken by disconnection carries its own message")
    void blockedSendCarriesTheMessage(Flavors.Flavor f) {
        Channel<Integer> ch = f.create();
        fill(f, ch.sender());
        Integer m = 123_456;
        Async<Void> s = Async.run("sender", () -> ch.sender().send(m));
        awaitWaiters(ch.sender(), 1);
        ch.receiver().close();
        assertThat(s.failure()).isInstanceOf(DisconnectedException.class);
        assertThat(((DisconnectedException) s.failure()).unsentMessage()).isSameAs(m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conduit.Flavors#all")
    @DisplayName("every receive form on a drained, disconnected channel throws DisconnectedException with unsentMessage() null")
    void receiveFormsCarryNull(Flavors.Flavor f) {
        Channel<String> ch = f.create();
        Receiver<String> rx = ch.receiver();
        ch.sender().close();
        DisconnectedException e1 = catchThrowableOfType(DisconnectedException.class, rx::recv);
        DisconnectedException e2 = catchThrowableOfType(DisconnectedException.class, rx::tryRecv);
        DisconnectedException e3 = catchThrowableOfType(DisconnectedException.class,
                () -> rx.tryRecv(Duration.ofSeconds(1)));
        assertThat(e1).as("recv").isNotNull();
        assertThat(e2).as("tryRecv").isNotNull();
        assertThat(e3).as("tryRecv(timeout)").isNotNull();
        assertThat(e1.unsentMessage()).isNull();
        assertThat(e2.unsentMessage()).isNull();
        assertThat(e3.unsentMessage()).isNull();
        assertThat(e1.getMessage()).as("the exception says what happened").isNotBlank();
    }
}
