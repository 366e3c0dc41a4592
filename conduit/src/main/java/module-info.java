/**
 * Conduit: channels for message passing between threads, with the semantics of Rust's
 * {@code std::sync::mpsc} and crossbeam-channel. Only {@code dev.conduit} is exported; everything
 * under {@code dev.conduit.internal} is free to change.
 */
module dev.conduit {
    exports dev.conduit;
}
