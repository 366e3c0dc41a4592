package dev.conduit.bench;

/**
 * A scenario's threads and capacity, parsed from a parameter value: {@code spsc}, {@code mpsc4}
 * (4 producers, 1 consumer), {@code mpmc2x2} (2 and 2), then {@code _capacity}; no capacity means
 * unbounded, {@code _0} rendezvous. Examples: {@code spsc_16}, {@code mpsc4_1024}, {@code mpsc4}.
 */
record Shape(int producers, int consumers, int capacity) {

    static Shape of(String s) {
        int us = s.indexOf('_');
        String kind = us < 0 ? s : s.substring(0, us);
        int capacity = us < 0 ? Pipes.UNBOUNDED : Integer.parseInt(s.substring(us + 1));
        if (kind.equals("spsc")) {
            return new Shape(1, 1, capacity);
        }
        if (kind.startsWith("mpsc")) {
            return new Shape(Integer.parseInt(kind.substring(4)), 1, capacity);
        }
        if (kind.startsWith("mpmc")) {
            String[] pc = kind.substring(4).split("x");
            return new Shape(Integer.parseInt(pc[0]), Integer.parseInt(pc[1]), capacity);
        }
        throw new IllegalArgumentException("unknown shape: " + s);
    }
}
