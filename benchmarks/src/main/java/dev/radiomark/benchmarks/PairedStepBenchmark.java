package dev.radiomark.benchmarks;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * The overhead ratio measured in one JVM, step against step: every invocation runs one step of
 * {@link ReferenceSampler} and one step of {@code scheme} (batch 1, the inputs of
 * {@link SamplingBenchmark}), in alternating order, and times each on its own (the thread's CPU
 * clock and the wall clock). {@link PairedRatioProfiler} turns the two sums of an iteration into
 * the ratio {@code scheme / reference}.
 *
 * <p>Why: on this shared virtual machine the speed of the same code moves by up to 1.6x from one
 * minute, and one JVM fork, to the next. {@link SamplingBenchmark} measures each scheme in its own
 * fork, at its own time, so its ratios mix those states. Here both samplers share the fork, the
 * JIT's state of the shared JDK code, and the machine's state within a millisecond, so the ratio
 * is steady even when the absolute times are not.
 *
 * <p>Fairness: the two samplers never share an input in one invocation (full rows: the reference
 * takes row {@code t mod 8}, the scheme row {@code (t + 4) mod 8}; candidates: sets {@code t} and
 * {@code t + 2048} of {@link SamplingBenchmark#CANDIDATE_SETS} distinct sets), so neither finds
 * the other's row in the cache, and over the run both see every input equally often. Candidate
 * steps take about 2 us, so they are timed in blocks of {@link #BLOCK} steps.
 *
 * <p>Floors: a scheme label with the suffix {@link #KEYED} ({@code green-h1-keyed},
 * {@code selfhash-h4-keyed}; candidates only) times, in place of the scheme's step, only the keyed
 * work its definition requires of a candidate step: the window seed and the 50 candidates' scores
 * ({@code Watermarker.windowSeed}, {@code Watermarker.score}), without the sampling. Its ratio is
 * that work's share of the reference step, timed by itself (inside a whole step the processor can
 * run part of it while the sampler's own dependent operations wait).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PairedStepBenchmark {
  /** Scheme label compared with the reference. */
  @Param({"plain", "green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4"})
  public String scheme;

  /** Vocabulary size (row width). */
  @Param({"128256"})
  public int vocab;

  /** {@code full} rows or {@code topk50} candidates. */
  @Param({"full", "topk50"})
  public String mode;

  /** Suffix of a scheme label that times the scheme's keyed work alone (candidates only). */
  static final String KEYED = "-keyed";

  /** Candidate steps timed together. */
  static final int BLOCK = 64;
  private static final int ROWS = 8;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private Sampler sampler;
  private Watermarker keyedOnly;
  private ReferenceSampler reference;
  private DecodeState state;
  private UniformRandomProvider referenceRandom;
  private float[][] logits;
  private CandidateSets cands;
  private int iteration;
  private int[] stream;
  private boolean full;
  private long step;
  private int sink;

  /** Builds both samplers and the inputs. */
  @Setup(Level.Trial)
  public void setUp() {
    SamplingConfig config = Inputs.config();
    boolean keyed = scheme.endsWith(KEYED);
    WatermarkSpec spec = Inputs.spec(keyed ? scheme.substring(0, scheme.length() - KEYED.length()) : scheme, vocab);
    if (scheme.equals("reference")) {
      throw new IllegalArgumentException("scheme is the reference itself: " + scheme);
    }
    full = switch (mode) {
      case "full" -> true;
      case "topk50" -> false;
      default -> throw new IllegalArgumentException("mode is not full or topk50: " + mode);
    };
    if (keyed && (spec == null || full)) {
      throw new IllegalArgumentException("a keyed floor needs a watermark and candidates: " + mode + "/" + scheme);
    }
    Watermarker wm = spec == null ? null : Watermarker.of(WatermarkKey.generate("bench"), spec);
    sampler = wm == null ? Sampler.plain(vocab, config) : wm.sampler(config);
    keyedOnly = keyed ? wm : null;
    reference = new ReferenceSampler(config);
    SplittableRandom rnd = new SplittableRandom(0x5eed_0001L + vocab);
    logits = new float[full ? ROWS : 0][];
    for (int s = 0; s < logits.length; s++) {
      logits[s] = new float[vocab];
      Inputs.fillRow(logits[s], 0, vocab, rnd);
    }
    stream = Inputs.tokenStream(vocab, rnd);
    state = sampler.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(1000L));
    referenceRandom = RandomSource.XO_RO_SHI_RO_128_PP.create(2000L);
    iteration = 0;
    step = 0;
  }

  /** New candidate sets before every iteration (topk50), as in {@link SamplingBenchmark}. */
  @Setup(Level.Iteration)
  public void newCandidates() {
    if (!full) {
      cands = new CandidateSets(vocab, SamplingBenchmark.CANDIDATE_SETS,
          0x5eed_0003L + 7919L * iteration++);
    }
  }

  /**
   * One step of each sampler (full rows) or {@link #BLOCK} steps of each (candidates).
   *
   * @param bh consumes the sampled tokens
   */
  @Benchmark
  public void pair(Blackhole bh) {
    long t = step++;
    if ((t & 1) == 0) {
      timeReference(t);
      timeScheme(t);
    } else {
      timeScheme(t);
      timeReference(t);
    }
    bh.consume(sink);
  }

  private void timeReference(long t) {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    int s = 0;
    if (full) {
      s = reference.sample(logits[(int) (t % ROWS)], 0, vocab, referenceRandom);
    } else {
      int base = candidateBase(t);
      for (int i = 0; i < BLOCK; i++) {
        int c = base + i;
        s += reference.sampleCandidates(cands.ids[c], cands.logits[c], Inputs.TOP_K, referenceRandom);
      }
    }
    PairedRatioProfiler.addReference(THREADS.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall,
        full ? 1 : BLOCK);
    sink += s;
  }

  private void timeScheme(long t) {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    int s = 0;
    if (full) {
      if (t % Inputs.SEQUENCE == 0) {
        state.reset();
      }
      s = sampler.sample(logits[(int) ((t + ROWS / 2) % ROWS)], stream, Inputs.contextLength(t, 0), state);
    } else {
      int base = (candidateBase(t) + SamplingBenchmark.CANDIDATE_SETS / 2) % SamplingBenchmark.CANDIDATE_SETS;
      for (int i = 0; i < BLOCK; i++) {
        long u = t * BLOCK + i;
        if (u % Inputs.SEQUENCE == 0) {
          state.reset();
        }
        int c = base + i;
        s += keyedOnly != null
            ? keyedWork(cands.ids[c], Inputs.contextLength(u, 0))
            : sampler.sampleCandidates(cands.ids[c], cands.logits[c], Inputs.TOP_K, stream,
                Inputs.contextLength(u, 0), state);
      }
    }
    PairedRatioProfiler.addScheme(THREADS.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall,
        full ? 1 : BLOCK);
    sink += s;
  }

  /**
   * The window seed of the context and the candidates' scores under it, their bits folded by xor
   * (salted by position, so that equal scores do not cancel): a chain of one-cycle operations,
   * where a sum would chain 50 dependent floating-point additions.
   */
  private int keyedWork(int[] ids, int len) {
    long ws = keyedOnly.windowSeed(stream, len);
    long acc = 0;
    for (int i = 0; i < Inputs.TOP_K; i++) {
      acc ^= Double.doubleToRawLongBits(keyedOnly.score(ws, ids[i])) + i;
    }
    return (int) (acc ^ (acc >>> 32));
  }

  /** First of the {@link #BLOCK} candidate sets of invocation t (blocks tile the sets). */
  private static int candidateBase(long t) {
    return (int) ((t * BLOCK) % SamplingBenchmark.CANDIDATE_SETS);
  }
}
