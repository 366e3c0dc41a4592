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
 * Rendezvous (capacity 0) one-way hand-off: one producer, one consumer, every send waits for the
 * receiver to take the message. Score: messages per microsecond. The batch is smaller than for
 * buffered channels because blocking hand-offs on platform threads are slow (tens of microseconds).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RendezvousBench {
    public static final int BATCH = 1 << 12;

    @Param({"conduit", "sq", "ltq", "jox", "jctools"})
    public String impl;

    @Param({"platform", "virtual"})
    public String threads;

    private Integer[] messages;
    private Pipe pipe;
    private Harness run;

    @Setup(Level.Trial)
    public void makeMessages() {
        messages = Harness.messages(BATCH);
    }

    @Setup(Level.Iteration)
    public void startThreads() {
        pipe = Pipes.create(impl, 0, 1, 1);
        run = Harness.flow(pipe, 1, 1, messages, threads);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void handoff() throws InterruptedException {
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
