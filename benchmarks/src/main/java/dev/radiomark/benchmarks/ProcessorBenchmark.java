package dev.radiomark.benchmarks;

import dev.radiomark.LogitsProcessor;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LogitsProcessor#bias} over one full row (the integration where the engine keeps its own
 * sampler), beside {@code touch}: a loop that reads and writes every logit once, the floor any
 * in-place processor pays. The bias is applied in place to rows that are cycled, so values drift
 * by +delta per visit; that does not change the cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProcessorBenchmark {
  /** {@code touch} (baseline), {@code green-h1} or {@code selfhash-h4}. */
  @Param({"touch", "green-h1", "selfhash-h4"})
  public String processor;

  /** Vocabulary size. */
  @Param({"128256"})
  public int vocab;

  private LogitsProcessor bias;
  private float[][] rows;
  private int[] stream;
  private long step;

  /** Builds the processor, 8 logits rows and the token stream. */
  @Setup(Level.Trial)
  public void setUp() {
    bias = processor.equals("touch")
        ? null
        : Watermarker.of(WatermarkKey.generate("bench"), Inputs.spec(processor, vocab)).processor();
    SplittableRandom rnd = new SplittableRandom(0x5eed_0002L + vocab);
    rows = new float[8][vocab];
    for (float[] r : rows) {
      Inputs.fillRow(r, 0, vocab, rnd);
    }
    stream = Inputs.tokenStream(vocab, rnd);
  }

  /**
   * Biases (or touches) one row in place.
   *
   * @return the row, so the writes stay observable
   */
  @Benchmark
  public float[] bias() {
    long t = step++;
    float[] row = rows[(int) (t & 7)];
    if (bias == null) {
      for (int v = 0; v < row.length; v++) {
        row[v] += 0.0f;
      }
    } else {
      bias.bias(row, stream, Inputs.contextLength(t, 0));
    }
    return row;
  }
}
