package dev.conduit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's per-thread allocation counter ({@code com.sun.management.ThreadMXBean
 * #getCurrentThreadAllocatedBytes}), reached reflectively: the tests are compiled inside module
 * {@code dev.conduit}, which does not read {@code java.management}/{@code jdk.management}, while at run
 * time they are on the class path and may use them. The call goes through a constant, bound
 * {@link MethodHandle} of type {@code ()long}, so reading the counter allocates nothing (the tests
 * check that with an empty measurement).
 */
final class AllocationCounter {
    private AllocationCounter() {}

    private static final MethodHandle CURRENT_THREAD_ALLOCATED_BYTES;
    private static final boolean SUPPORTED;

    static {
        MethodHandle mh = null;
        boolean supported = false;
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
            if (sunBean.isInstance(bean)
                    && (Boolean) sunBean.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                sunBean.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
                mh = MethodHandles.publicLookup()
                        .findVirtual(sunBean, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                        .bindTo(bean);
                supported = true;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            supported = false;
        }
        CURRENT_THREAD_ALLOCATED_BYTES = mh;
        SUPPORTED = supported;
    }

    /** Whether this JVM counts allocated bytes per thread. */
    static boolean isSupported() {
        return SUPPORTED;
    }

    /** Bytes allocated so far by the current thread. */
    static long currentThread() {
        try {
            return (long) CURRENT_THREAD_ALLOCATED_BYTES.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError("reading the allocation counter failed", t);
        }
    }
}
