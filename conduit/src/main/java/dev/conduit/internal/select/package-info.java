/**
 * Select: waiting on several operations over any mix of flavors and completing exactly one
 * ({@link dev.conduit.internal.select.Selector}).
 */
package dev.conduit.internal.select;
