package io.flowtap.benchmarks;

import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.Frame;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Decoding one frame (link layer to transport header), cycling over the captures' frames. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderBenchmark {
    private Frame[] frames;
    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedPacket out = new DecodedPacket();
    private int next;

    @Setup
    public void load() {
        frames = Captures.frames(Captures.all()).toArray(new Frame[0]);
    }

    @Benchmark
    public Object decode() {
        Frame f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return decoder.decode(f, out);
    }
}
