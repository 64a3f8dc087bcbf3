package dev.radiomark.benchmarks;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.simple.RandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One sampling step (all {@code batch} rows) with and without a watermark. {@code plain} is
 * {@link Sampler#plain} with the same {@link SamplingConfig} (temperature 0.8, top-p 0.95): the
 * baseline every watermarked score is divided by.
 *
 * <ul>
 *   <li>{@code full}: {@link Sampler#sample} (batch 1) or {@link Sampler#sampleBatch} over full
 *       rows of {@code vocab} logits.
 *   <li>{@code topk50}: {@link Sampler#sampleCandidates} on the 50 largest logits of each row,
 *       selected in setup (the serving engine's job, not measured).
 * </ul>
 *
 * <p>Several logits sets (see {@link Inputs} for the distribution) are cycled so neither branch
 * predictors nor caches hold one row; the context of every row is a different window of a random
 * token stream at every invocation, and every {@link Inputs#SEQUENCE} steps the decode states are
 * reset as at the start of a new sequence (that reset is part of the measured cost, for all
 * schemes alike).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SamplingBenchmark {
  /** Scheme label; {@code plain} is the baseline. */
  @Param({"plain", "green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4"})
  public String scheme;

  /** Vocabulary size (row width). */
  @Param({"32000", "128256", "200019", "256000"})
  public int vocab;

  /** Rows sampled per invocation. */
  @Param({"1", "32"})
  public int batch;

  /** {@code full} rows or {@code topk50} candidates. */
  @Param({"full", "topk50"})
  public String mode;

  private Sampler sampler;
  private DecodeState[] states;
  private float[][] logits;
  private int[][][] candIds;
  private float[][][] candVals;
  private int[] stream;
  private int[][] contexts;
  private int[] lens;
  private int[] out;
  private boolean full;
  private long step;

  /** Builds the sampler, the logits sets, the top-50 candidates and the token stream. */
  @Setup(Level.Trial)
  public void setUp() {
    SamplingConfig config = Inputs.config();
    WatermarkSpec spec = Inputs.spec(scheme, vocab);
    sampler = spec == null
        ? Sampler.plain(vocab, config)
        : Watermarker.of(WatermarkKey.generate("bench"), spec).sampler(config);
    full = switch (mode) {
      case "full" -> true;
      case "topk50" -> false;
      default -> throw new IllegalArgumentException("mode is not full or topk50: " + mode);
    };
    // Same inputs for every scheme: fixed seed.
    SplittableRandom rnd = new SplittableRandom(0x5eed_0001L + vocab);
    int sets = batch == 1 ? 8 : 2;
    logits = new float[sets][];
    candIds = new int[sets][batch][];
    candVals = new float[sets][batch][];
    for (int s = 0; s < sets; s++) {
      float[] rows = new float[batch * vocab];
      for (int b = 0; b < batch; b++) {
        Inputs.fillRow(rows, b * vocab, vocab, rnd);
        candVals[s][b] = new float[Inputs.TOP_K];
        candIds[s][b] = Inputs.topK(rows, b * vocab, vocab, Inputs.TOP_K, candVals[s][b]);
      }
      logits[s] = rows;
    }
    stream = Inputs.tokenStream(vocab, rnd);
    states = new DecodeState[batch];
    contexts = new int[batch][];
    for (int b = 0; b < batch; b++) {
      states[b] = sampler.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(1000L + b));
      contexts[b] = stream;
    }
    lens = new int[batch];
    out = new int[batch];
    step = 0;
  }

  /**
   * One decode step of the whole batch.
   *
   * @param bh consumes the sampled tokens
   */
  @Benchmark
  public void step(Blackhole bh) {
    long t = step++;
    if (t % Inputs.SEQUENCE == 0) {
      for (DecodeState s : states) {
        s.reset();
      }
    }
    int set = (int) (t % logits.length);
    for (int b = 0; b < batch; b++) {
      lens[b] = Inputs.contextLength(t, b);
    }
    if (full) {
      if (batch == 1) {
        out[0] = sampler.sample(logits[set], stream, lens[0], states[0]);
      } else {
        sampler.sampleBatch(logits[set], batch, contexts, lens, states, out);
      }
    } else {
      int[][] ids = candIds[set];
      float[][] vals = candVals[set];
      for (int b = 0; b < batch; b++) {
        out[b] = sampler.sampleCandidates(ids[b], vals[b], Inputs.TOP_K, stream, lens[b], states[b]);
      }
    }
    bh.consume(out);
  }
}
