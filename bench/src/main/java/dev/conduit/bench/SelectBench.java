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
 * Select over 4 channels: 4 producers each feed their own bounded channel, one consumer receives
 * with a select over all four (Conduit's {@code Select}, Jox's {@code Select.select}; the JCTools
 * reference polls four SPSC queues round robin). Score: messages per microsecond. The lanes'
 * capacity is a parameter (default 16; try {@code -p capacity=0,16,1024}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectBench {
    public static final int BATCH = 1 << 16;
    public static final int LANES = 4;

    @Param({"conduit", "jox", "jctools"})
    public String impl;

    @Param({"platform", "virtual"})
    public String threads;

    @Param({"16"})
    public int capacity;

    private Integer[] messages;
    private Pipe pipe;
    private Harness run;

    @Setup(Level.Trial)
    public void makeMessages() {
        messages = Harness.messages(BATCH);
    }

    @Setup(Level.Iteration)
    public void startThreads() {
        pipe = Pipes.createSelect(impl, LANES, capacity);
        run = Harness.flow(pipe, LANES, 1, messages, threads);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void select4() throws InterruptedException {
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
