package dev.conduit.examples;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the examples in order, or only those named on the command line, with a header for each.
 * Exits with status 1 if any example throws or leaves a thread running, and 2 for an unknown name.
 *
 * <pre>
 *   java -cp ... dev.conduit.examples.Demo                    every example
 *   java -cp ... dev.conduit.examples.Demo Rendezvous Heartbeat
 * </pre>
 */
public final class Demo {
    private Demo() {
    }

    /** An example's entry point. */
    @FunctionalInterface
    private interface Example {
        void run(String[] args) throws Exception;
    }

    private record Entry(Example main, String summary) {
    }

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("PastryKitchen", new Entry(PastryKitchen::main,
                "one message from the pastry kitchen's thread to the main kitchen (recv)"));
        EXAMPLES.put("TwoDeliveries", new Entry(TwoDeliveries::main,
                "two messages with a pause, received with for (String m : rx)"));
        EXAMPLES.put("TwoKitchens", new Entry(TwoKitchens::main,
                "two kitchens, cloned senders, one head waiter"));
        EXAMPLES.put("Rendezvous", new Entry(Rendezvous::main,
                "bounded(0): send returns only once the receiver took the message"));
        EXAMPLES.put("SelectLoop", new Entry(SelectLoop::main,
                "a Select loop over orders and cancellations, with a timeout"));
        EXAMPLES.put("Heartbeat", new Entry(Heartbeat::main,
                "a worker stopped by a tick heartbeat or an after deadline"));
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            String name = canonical(arg);
            if (name == null) {
                System.err.println("Unknown example '" + arg + "'. Examples: " + String.join(", ", EXAMPLES.keySet()));
                System.exit(2);
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            names.addAll(EXAMPLES.keySet());
        }

        List<String> failed = new ArrayList<>();
        for (String name : names) {
            Entry example = EXAMPLES.get(name);
            System.out.println();
            System.out.println("=== " + name + ": " + example.summary() + " ===");
            Set<Thread> before = liveThreads();
            try {
                example.main().run(new String[0]);
                List<String> leftovers = leftoverThreads(before);
                if (!leftovers.isEmpty()) {
                    throw new IllegalStateException("threads still running after the example: " + leftovers);
                }
            } catch (Throwable t) {
                System.out.flush();
                System.err.println("!!! " + name + " failed:");
                t.printStackTrace();
                failed.add(name);
            }
        }

        System.out.println();
        if (failed.isEmpty()) {
            System.out.println("=== All " + names.size() + " examples ran. ===");
        } else {
            System.out.println("=== " + failed.size() + " of " + names.size() + " examples failed: " + failed + " ===");
            System.exit(1); // a failed example may have left a thread blocked: do not wait for it
        }
    }

    private static String canonical(String arg) {
        for (String name : EXAMPLES.keySet()) {
            if (name.toLowerCase(Locale.ROOT).equals(arg.toLowerCase(Locale.ROOT))) {
                return name;
            }
        }
        return null;
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Non-daemon threads started since {@code before} that are still alive after a short grace. */
    private static List<String> leftoverThreads(Set<Thread> before) throws InterruptedException {
        List<String> leftovers = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (!before.contains(t) && !t.isDaemon() && t != Thread.currentThread()) {
                t.join(1_000);
                if (t.isAlive()) {
                    leftovers.add(t.getName());
                }
            }
        }
        return leftovers;
    }
}
