package dev.conduit.examples;

import dev.conduit.Channel;
import dev.conduit.Channels;
import dev.conduit.Receiver;
import dev.conduit.Select;
import dev.conduit.Sender;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Select} loop serving two channels at once (Rust: crossbeam's {@code select!} in a loop).
 * The front desk sends new orders on one channel and cancellations on another; the kitchen takes
 * whichever comes first, says so when nothing came for 300 ms ({@code select(Duration)}), and stops
 * when both channels are disconnected, which it learns through the branches' disconnect handlers.
 *
 * <p>A disconnected channel is always "ready" (its branch would be chosen again and again), so
 * once a channel is closed the kitchen rebuilds its {@code Select} with {@link Channels#never()}
 * in that branch's place. Between rebuilds the same {@code Select} serves every call.
 */
public final class SelectLoop {
    private static final Duration QUIET = Duration.ofMillis(300);

    /** A new order: its ticket number and the dish. */
    record Order(int number, String dish) {
    }

    private final Receiver<Order> orders;
    private final Receiver<Integer> cancels;
    private final Map<Integer, String> tickets = new LinkedHashMap<>();
    private boolean ordersOpen = true;
    private boolean cancelsOpen = true;

    private SelectLoop(Receiver<Order> orders, Receiver<Integer> cancels) {
        this.orders = orders;
        this.cancels = cancels;
    }

    public static void main(String[] args) throws Exception {
        Channel<Order> orderChannel = Channels.unbounded();
        Channel<Integer> cancelChannel = Channels.unbounded();
        Sender<Order> orderTx = orderChannel.sender();
        Sender<Integer> cancelTx = cancelChannel.sender();

        try (Receiver<Order> orders = orderChannel.receiver();
             Receiver<Integer> cancels = cancelChannel.receiver()) {
            System.out.println("Kitchen: serving orders and cancellations as they come");
            JoinHandle frontDesk = JoinHandle.spawn("front-desk", () -> {
                try (orderTx; cancelTx) {
                    orderTx.send(new Order(1, "espresso"));
                    Thread.sleep(100);
                    orderTx.send(new Order(2, "croissant"));
                    Thread.sleep(100);
                    orderTx.send(new Order(3, "onion soup"));
                    Thread.sleep(100);
                    cancelTx.send(2);
                    Thread.sleep(450); // a quiet spell: the kitchen's select times out once
                    orderTx.send(new Order(4, "tarte tatin"));
                    Thread.sleep(100);
                    cancelTx.close(); // no more cancellations today
                    Thread.sleep(100);
                    orderTx.send(new Order(5, "cheese board"));
                    Thread.sleep(100);
                } // orderTx is closed here (closing cancelTx again does nothing)
            });

            new SelectLoop(orders, cancels).serve();
            frontDesk.join();
        }
    }

    private void serve() throws InterruptedException {
        Select<String> select = menu();
        while (ordersOpen || cancelsOpen) {
            boolean ordersBefore = ordersOpen;
            boolean cancelsBefore = cancelsOpen;
            Optional<String> line = select.select(QUIET); // empty if nothing happened in time
            System.out.println(line.orElse("Kitchen: nothing for " + QUIET.toMillis() + " ms, still listening"));
            if (ordersOpen != ordersBefore || cancelsOpen != cancelsBefore) {
                select = menu(); // a channel was disconnected: stop selecting on it
            }
        }
        System.out.println("Kitchen: both channels are closed; cooking " + tickets.size()
                + " tickets: " + tickets);
    }

    /** The branches for the channels still open; a closed one is replaced by never(). */
    private Select<String> menu() {
        return new Select<String>()
                .recv(ordersOpen ? orders : Channels.<Order>never(), this::onOrder, this::onOrdersClosed)
                .recv(cancelsOpen ? cancels : Channels.<Integer>never(), this::onCancel, this::onCancelsClosed);
    }

    private String onOrder(Order order) {
        tickets.put(order.number(), order.dish());
        return "Kitchen: new order #" + order.number() + ", " + order.dish();
    }

    private String onCancel(Integer number) {
        String dish = tickets.remove(number);
        return dish == null
                ? "Kitchen: cancel #" + number + ", but there is no such ticket"
                : "Kitchen: order #" + number + " (" + dish + ") cancelled";
    }

    private String onOrdersClosed() {
        ordersOpen = false;
        return "Kitchen: the orders channel is disconnected and drained";
    }

    private String onCancelsClosed() {
        cancelsOpen = false;
        return "Kitchen: the cancellations channel is disconnected and drained";
    }
}
