package dev.radiomark.benchmarks;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
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
 * One sampling step (all {@code batch} rows) with and without a watermark, with the same
 * {@link SamplingConfig} (temperature 0.8, top-p 0.95). {@code reference} is
 * {@link ReferenceSampler}, an independent efficient plain sampler that draws the same tokens as
 * {@link Sampler#plain}: the baseline every score is divided by; {@code plain} is
 * {@link Sampler#plain}.
 *
 * <ul>
 *   <li>{@code full}: {@link Sampler#sample} (batch 1) or {@link Sampler#sampleBatch} over full
 *       rows of {@code vocab} logits.
 *   <li>{@code topk50}: {@link Sampler#sampleCandidates} on the 50 largest logits of a row
 *       ({@link CandidateSets}: {@link #CANDIDATE_SETS} distinct sets, drawn anew with a new seed
 *       before every iteration, the same seeds for every scheme).
 * </ul>
 *
 * <p>Full rows: several logits sets (see {@link Inputs} for the distribution) are cycled so
 * neither branch predictors nor caches hold one row; the context of every row is a different window of a random
 * token stream at every invocation, and every {@link Inputs#SEQUENCE} steps the decode states are
 * reset as at the start of a new sequence (that reset is part of the measured cost, for all
 * schemes alike).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SamplingBenchmark {
  /** Scheme label; {@code reference} is the baseline. */
  @Param({"reference", "plain", "green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4"})
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

  /** Distinct candidate sets per iteration (topk50). */
  static final int CANDIDATE_SETS = 4096;

  private Sampler sampler;
  private ReferenceSampler reference;
  private DecodeState[] states;
  private UniformRandomProvider[] randoms;
  private float[][] logits;
  private CandidateSets cands;
  private int iteration;
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
    reference = scheme.equals("reference") ? new ReferenceSampler(config) : null;
    full = switch (mode) {
      case "full" -> true;
      case "topk50" -> false;
      default -> throw new IllegalArgumentException("mode is not full or topk50: " + mode);
    };
    // Same inputs for every scheme: fixed seed.
    SplittableRandom rnd = new SplittableRandom(0x5eed_0001L + vocab);
    int sets = batch == 1 ? 8 : 2;
    logits = new float[full ? sets : 0][];
    for (int s = 0; s < logits.length; s++) {
      float[] rows = new float[batch * vocab];
      for (int b = 0; b < batch; b++) {
        Inputs.fillRow(rows, b * vocab, vocab, rnd);
      }
      logits[s] = rows;
    }
    stream = Inputs.tokenStream(vocab, rnd);
    states = new DecodeState[batch];
    randoms = new UniformRandomProvider[batch];
    contexts = new int[batch][];
    for (int b = 0; b < batch; b++) {
      randoms[b] = RandomSource.XO_RO_SHI_RO_128_PP.create(1000L + b);
      states[b] = sampler.newState(randoms[b]);
      contexts[b] = stream;
    }
    iteration = 0;
    lens = new int[batch];
    out = new int[batch];
    step = 0;
  }

  /** New candidate sets before every iteration (topk50), seeded by the iteration number. */
  @Setup(Level.Iteration)
  public void newCandidates() {
    if (!full) {
      cands = new CandidateSets(vocab, CANDIDATE_SETS, 0x5eed_0003L + 7919L * iteration++);
    }
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
    for (int b = 0; b < batch; b++) {
      lens[b] = Inputs.contextLength(t, b);
    }
    if (reference != null) {
      for (int b = 0; b < batch; b++) {
        out[b] = full
            ? reference.sample(logits[(int) (t % logits.length)], b * vocab, vocab, randoms[b])
            : reference.sampleCandidates(cands.ids[set(t, b)], cands.logits[set(t, b)], Inputs.TOP_K, randoms[b]);
      }
    } else if (full) {
      int set = (int) (t % logits.length);
      if (batch == 1) {
        out[0] = sampler.sample(logits[set], stream, lens[0], states[0]);
      } else {
        sampler.sampleBatch(logits[set], batch, contexts, lens, states, out);
      }
    } else {
      for (int b = 0; b < batch; b++) {
        int s = set(t, b);
        out[b] = sampler.sampleCandidates(cands.ids[s], cands.logits[s], Inputs.TOP_K, stream, lens[b], states[b]);
      }
    }
    bh.consume(out);
  }

  private int set(long step, int b) {
    return (int) ((step * batch + b) % CANDIDATE_SETS);
  }
}
