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
 * Rendezvous ping-pong: a client sends a message on one capacity-0 channel and waits for it to come
 * back on another; an echo thread returns every message. Score: average time per round trip
 * (two hand-offs), in nanoseconds; lower is better.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PingPongBench {
    public static final int ROUND_TRIPS = 1 << 10;

    @Param({"conduit", "sq", "ltq", "jox", "jctools"})
    public String impl;

    @Param({"platform", "virtual"})
    public String threads;

    private Integer[] messages;
    private Pipe ping;
    private Pipe pong;
    private Harness run;

    @Setup(Level.Trial)
    public void makeMessages() {
        messages = Harness.messages(ROUND_TRIPS);
    }

    @Setup(Level.Iteration)
    public void startThreads() {
        ping = Pipes.create(impl, 0, 1, 1);
        pong = Pipes.create(impl, 0, 1, 1);
        run = Harness.pingPong(ping, pong, messages, threads);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void roundTrip() throws InterruptedException {
        run.batch();
    }

    @TearDown(Level.Iteration)
    public void stopThreads() throws InterruptedException {
        try {
            run.stop();
        } finally {
            ping.close();
            pong.close();
        }
    }
}
