/**
 * The channel flavors, one per file, each implementing {@link dev.conduit.internal.Flavor} and
 * opening with notes on its algorithm, state, linearization points and memory ordering.
 */
package dev.conduit.internal.flavor;
