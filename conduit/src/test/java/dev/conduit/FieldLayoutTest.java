package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.internal.flavor.ArrayFlavor;
import dev.conduit.internal.flavor.ListFlavor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The buffered flavors keep what receivers write and what senders write on different cache lines,
 * and neither on the line that holds what both sides read on every operation. The padding classes
 * are meant to do that, but HotSpot lays a subclass's fields into the gaps its superclasses leave,
 * so a field added in the wrong class can land on the other side's line without a compiler or a
 * functional test noticing: it happened once, and it cost the unbounded hand-off 3x (the notes in
 * {@code ListFlavor}). This test reads the offsets the running JVM chose and fails with them.
 *
 * <p>Two fields share no cache line, whatever the object's address, when their offsets are at
 * least 64 bytes apart. The offsets come from {@code sun.misc.Unsafe.objectFieldOffset} (module
 * {@code jdk.unsupported}); where it is gone, the test is skipped rather than passed.
 */
class FieldLayoutTest {

    private static final int LINE = 64;

    @Test
    @DisplayName("ListFlavor: head, tail and the shared read-only fields are on three separate lines")
    void listFlavor() {
        checkApart(ListFlavor.class,
                Set.of("headIndex", "headBlock"),
                Set.of("tailIndex", "tailBlock"),
                Set.of("lap", "lapShift", "blockCap", "limit", "senders", "receivers"));
    }

    @Test
    @DisplayName("ArrayFlavor: head, tail and the shared read-only fields are on three separate lines")
    void arrayFlavor() {
        checkApart(ArrayFlavor.class,
                Set.of("head"),
                Set.of("tail"),
                Set.of("cap", "markBit", "oneLap", "slots", "senders", "receivers"));
    }

    /** Every pair of fields from two different groups is at least a line apart. */
    @SafeVarargs
    private static void checkApart(Class<?> type, Set<String>... groups) {
        ToLongFunction<Field> offsetOf = offsets();
        List<long[]> offsets = new ArrayList<>(); // per group
        List<String> described = new ArrayList<>();
        for (Set<String> group : groups) {
            long[] g = new long[group.size()];
            int i = 0;
            for (String name : group) {
                g[i] = offsetOf.applyAsLong(field(type, name));
                described.add(name + " @" + g[i]);
                i++;
            }
            offsets.add(g);
        }
        for (int a = 0; a < offsets.size(); a++) {
            for (int b = a + 1; b < offsets.size(); b++) {
                for (long x : offsets.get(a)) {
                    for (long y : offsets.get(b)) {
                        assertThat(Math.abs(x - y))
                                .as("%s: fields at %d and %d may share a cache line; layout %s",
                                        type.getSimpleName(), x, y, described)
                                .isGreaterThanOrEqualTo(LINE);
                    }
                }
            }
        }
    }

    /** The instance field {@code name} declared by {@code type} or a superclass. */
    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
                    return f;
                }
            }
        }
        throw new AssertionError(type.getName() + " has no field " + name + " (renamed? update this test)");
    }

    /** {@code Unsafe.objectFieldOffset} bound to the Unsafe instance; skips the test where it is gone. */
    private static ToLongFunction<Field> offsets() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Method offsetOf = unsafeClass.getMethod("objectFieldOffset", Field.class);
            Field instance = unsafeClass.getDeclaredField("theUnsafe");
            instance.setAccessible(true);
            Object unsafe = instance.get(null);
            return f -> {
                try {
                    return (long) offsetOf.invoke(unsafe, f);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("objectFieldOffset(" + f + ")", e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            assumeTrue(false, "sun.misc.Unsafe.objectFieldOffset is not reachable: " + e);
            throw new AssertionError(e);
        }
    }
}
