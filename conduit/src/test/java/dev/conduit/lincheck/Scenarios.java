package dev.conduit.lincheck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

/**
 * Builds Lincheck custom scenarios from Java (Lincheck's own DSL wants Kotlin function references):
 * {@code on(Ops.class).init(a("trySend", 1, 0)).thread(a("closeReceiver", 0)).thread(...).build()}.
 * Custom scenarios aim the checker at the races we know are delicate; the random scenarios run too.
 */
final class Scenarios {
    private final Class<?> testClass;
    private final List<Actor> init = new ArrayList<>();
    private final List<List<Actor>> threads = new ArrayList<>();
    private final List<Actor> post = new ArrayList<>();

    private Scenarios(Class<?> testClass) {
        this.testClass = testClass;
    }

    static Scenarios on(Class<?> testClass) {
        return new Scenarios(testClass);
    }

    /** An operation call: the public method {@code name} of the test class with {@code args}. */
    static Object[] a(String name, Object... args) {
        Object[] call = new Object[args.length + 1];
        call[0] = name;
        System.arraycopy(args, 0, call, 1, args.length);
        return call;
    }

    Scenarios init(Object[]... calls) {
        init.addAll(actors(calls));
        return this;
    }

    Scenarios thread(Object[]... calls) {
        threads.add(actors(calls));
        return this;
    }

    Scenarios post(Object[]... calls) {
        post.addAll(actors(calls));
        return this;
    }

    ExecutionScenario build() {
        return new ExecutionScenario(init, threads, post, null);
    }

    private List<Actor> actors(Object[][] calls) {
        List<Actor> list = new ArrayList<>();
        for (Object[] call : calls) {
            String name = (String) call[0];
            List<Object> args = Arrays.asList(call).subList(1, call.length);
            list.add(new Actor(method(name, args.size()), new ArrayList<>(args)));
        }
        return list;
    }

    private Method method(String name, int arity) {
        for (Method m : testClass.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == arity) {
                return m;
            }
        }
        throw new IllegalArgumentException("no operation " + name + "/" + arity + " in " + testClass);
    }
}
