package dev.conduit.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Bounded channels: SPSC at capacity 16 and 1024, MPSC 4:1 and MPMC 2:2 at 1024. Score: messages
 * per microsecond moved from the producers to the consumers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BoundedBench {
    public static final int BATCH = 1 << 16;

    @Param({"conduit", "abq", "lbq", "jox", "jctools", "jctools_mpmc"})
    public String impl;

    @Param({"platform", "virtual"})
    public String threads;

    @Param({"spsc_16", "spsc_1024", "mpsc4_1024", "mpmc2x2_1024"})
    public String shape;

    private Integer[] messages;
    private Pipe pipe;
    private Harness run;

    @Setup(Level.Trial)
    public void makeMessages() {
        messages = Harness.messages(BATCH);
    }

    @Setup(Level.Iteration)
    public void startThreads() {
        Shape s = Shape.of(shape);
        pipe = Pipes.create(impl, s.capacity(), s.producers(), s.consumers());
        run = Harness.flow(pipe, s.producers(), s.consumers(), messages, threads);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void transfer() throws InterruptedException {
        run.batch();
    }

    @TearDown(Level.Iteration)
    public void stopThreads() throws InterruptedException {
        try {
            run.stop();
        } finally {
            pipe.close();
        }
    }
}
