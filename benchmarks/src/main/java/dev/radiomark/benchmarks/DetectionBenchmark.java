package dev.radiomark.benchmarks;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.SeenSet;
import dev.radiomark.verify.stats.Tails;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Detection throughput after tokenization, one thread (the detector is single-threaded).
 *
 * <ul>
 *   <li>{@code detect}: a fresh {@link Detector.Tape} (exact tuple de-duplication, the default)
 *       and {@link Detector.Tape#add} of every text of a pre-tokenized stream of {@code tokens}
 *       tokens, cut into texts of {@link #TEXT} tokens, empty prompts. One operation is the whole
 *       stream: tokens per second = {@code tokens} / (seconds per operation).
 *   <li>{@code readingScore}: the scoring part of the reading-mode test, given the suspect's
 *       predictions (precomputed here; the suspect model is not run): for every position with h
 *       tokens before it in its text, {@link Watermarker#windowSeed} of the input text and
 *       {@link Detector.Tape#addTuple} of (window, predicted token). One operation is the whole
 *       stream, as above.
 *   <li>{@code readingScoreBatched}: the same tuples inserted {@value #BATCH} at a time with
 *       {@link Detector.Tape#addTuples}, as the reading-mode test does; a text's window seeds are
 *       computed with one {@link Watermarker#windowSeeds} call.
 *   <li>{@code detectPresized}, {@code readingScorePresized}, {@code readingScoreBatchedPresized}:
 *       the same on a tape sized ahead for the stream ({@link SeenSet#exact(long)}), so the exact
 *       set never doubles. {@code detectPresizedHugePages}: {@code detectPresized} in a JVM with
 *       transparent huge pages, so that both are measured in one run.
 *   <li>{@code splitHashOnly}, {@code splitSetOnlyPresized}, {@code splitTuplesPresized}: a
 *       diagnostic split of {@code detectPresized}: the hashing of every position alone (window
 *       seed, identity, score), the tape alone (precomputed identities, one at a time), and
 *       {@link Detector.Tape#addTuples} of precomputed window seeds (identity, tape, score).
 *   <li>{@code binomial*}, {@code gamma*}: the exact p-value functions at n = 10^6 tuples, near
 *       the threshold (mean + 3 sigma: the Commons Numbers path) and far in the tail (below
 *       1e-300: the log-space series). Microseconds per call.
 * </ul>
 *
 * <p>Tokens: a Zipf-like stream (rank r drawn with weight {@code 1 / (r + 2)^1.1}, ranks mapped
 * to ids by a fixed random permutation of the vocabulary), so frequent bigrams and windows
 * repeat and the de-duplication tape rejects some positions, as on real text.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetectionBenchmark {
  /** Tokens per text. */
  static final int TEXT = 500;
  /** Tuples of the p-value functions. */
  static final long N = 1_000_000L;
  private static final int[] NO_PROMPT = new int[0];

  /** A scheme, its detector and the pre-tokenized stream. */
  @State(Scope.Thread)
  public static class Stream {
    /** Scheme label (see {@link Inputs#spec}). */
    @Param({"green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4"})
    public String scheme;

    /** Vocabulary size. */
    @Param({"200019"})
    public int vocab;

    /** Tokens per operation (a multiple of {@link #TEXT}). */
    @Param({"1000000"})
    public int tokens;

    Watermarker watermarker;
    Detector detector;
    int h;
    int[][] texts;
    int[][] predictions;
    /** Window seeds and tuple identities of every scored position of {@link #texts}, in order. */
    long[] windowSeeds;
    long[] identities;
    int[] tupleTokens;

    /** Builds the detector, the texts and the predictions. */
    @Setup(Level.Trial)
    public void setUp() {
      WatermarkSpec spec = Inputs.spec(scheme, vocab);
      watermarker = Watermarker.of(WatermarkKey.generate("bench"), spec);
      detector = Detector.of(watermarker);
      h = spec.contextWidth();
      SplittableRandom rnd = new SplittableRandom(0x5eed_0002L);
      ZipfTokens zipf = new ZipfTokens(vocab, 1.1, rnd);
      int n = Math.max(1, tokens / TEXT);
      texts = new int[n][TEXT];
      predictions = new int[n][TEXT];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < TEXT; t++) {
          texts[i][t] = zipf.next(rnd);
          predictions[i][t] = zipf.next(rnd);
        }
      }
      int count = n * (TEXT - Math.min(h, TEXT));
      windowSeeds = new long[count];
      identities = new long[count];
      tupleTokens = new int[count];
      int k = 0;
      for (int[] text : texts) {
        for (int t = h; t < text.length; t++) {
          windowSeeds[k] = watermarker.windowSeed(text, t);
          tupleTokens[k] = text[t];
          identities[k] = detector.identity(windowSeeds[k], text[t]);
          k++;
        }
      }
    }
  }

  /** Zipf-like token ids over a vocabulary. */
  static final class ZipfTokens {
    private final double[] cdf;
    private final int[] ids;

    ZipfTokens(int vocab, double s, SplittableRandom rnd) {
      cdf = new double[vocab];
      double sum = 0;
      for (int r = 0; r < vocab; r++) {
        sum += Math.pow(r + 2, -s);
        cdf[r] = sum;
      }
      for (int r = 0; r < vocab; r++) {
        cdf[r] /= sum;
      }
      ids = new int[vocab];
      for (int i = 0; i < vocab; i++) {
        ids[i] = i;
      }
      for (int i = vocab - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int x = ids[i];
        ids[i] = ids[j];
        ids[j] = x;
      }
    }

    int next(SplittableRandom rnd) {
      double u = rnd.nextDouble();
      int lo = 0;
      int hi = cdf.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return ids[lo];
    }
  }

  /**
   * Detection of the whole stream on one fresh tape.
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double detect(Stream s) {
    return detect(s, s.detector.newTape());
  }

  /**
   * {@link #detect} on a tape sized ahead for the stream ({@link SeenSet#exact(long)} with the
   * number of tokens): same results, no table doubling.
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double detectPresized(Stream s) {
    return detect(s, s.detector.newTape(SeenSet.exact(s.tokens)));
  }

  /**
   * {@link #detectPresized} in a JVM with transparent huge pages
   * ({@code -XX:+UseTransparentHugePages}, for machines where THP is in {@code madvise} mode), so
   * that both are measured in one run.
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  @Fork(jvmArgsAppend = "-XX:+UseTransparentHugePages")
  public double detectPresizedHugePages(Stream s) {
    return detect(s, s.detector.newTape(SeenSet.exact(s.tokens)));
  }

  private static double detect(Stream s, Detector.Tape tape) {
    for (int[] text : s.texts) {
      tape.add(NO_PROMPT, text, null, null);
    }
    return tape.score() + tape.tuplesScored();
  }

  /**
   * {@link #readingScore} on a tape sized ahead for the stream, as {@link #detectPresized}.
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double readingScorePresized(Stream s) {
    return readOneAtATime(s, s.detector.newTape(SeenSet.exact(s.tokens)));
  }

  /**
   * Reading-mode scoring of the whole stream (window seeds included, suspect model excluded).
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double readingScore(Stream s) {
    return readOneAtATime(s, s.detector.newTape());
  }

  private static double readOneAtATime(Stream s, Detector.Tape tape) {
    Watermarker wm = s.watermarker;
    int h = s.h;
    for (int i = 0; i < s.texts.length; i++) {
      int[] text = s.texts[i];
      int[] pred = s.predictions[i];
      for (int t = h; t < text.length; t++) {
        tape.addTuple(wm.windowSeed(text, t), pred[t]);
      }
    }
    return tape.score() + tape.tuplesScored();
  }

  /** Tuples per {@link Detector.Tape#addTuples} call in the batched reading-mode rows. */
  static final int BATCH = 256;

  /**
   * Reading-mode scoring as {@link #readingScore}, but the tuples are collected
   * {@value #BATCH} at a time and inserted with {@link Detector.Tape#addTuples} (touch-first, as
   * {@link Detector.Tape#add}), as the reading-mode test now does: same results.
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double readingScoreBatched(Stream s) {
    return readBatched(s, s.detector.newTape());
  }

  /**
   * {@link #readingScoreBatched} on a tape sized ahead for the stream.
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double readingScoreBatchedPresized(Stream s) {
    return readBatched(s, s.detector.newTape(SeenSet.exact(s.tokens)));
  }

  private static double readBatched(Stream s, Detector.Tape tape) {
    Watermarker wm = s.watermarker;
    int h = s.h;
    long[] windows = new long[BATCH];
    int[] tokens = new int[BATCH];
    double[] scores = new double[BATCH];
    long[] textWindows = new long[TEXT];
    int m = 0;
    for (int i = 0; i < s.texts.length; i++) {
      int[] text = s.texts[i];
      int[] pred = s.predictions[i];
      if (h < text.length) {
        wm.windowSeeds(text, h, text.length, textWindows, 0);
      }
      for (int t = h; t < text.length; t++) {
        windows[m] = textWindows[t - h];
        tokens[m] = pred[t];
        if (++m == BATCH) {
          tape.addTuples(windows, tokens, m, scores);
          m = 0;
        }
      }
    }
    tape.addTuples(windows, tokens, m, scores);
    return tape.score() + tape.tuplesScored();
  }

  /**
   * Diagnostic split of {@link #detect}, hashing alone: the window seed, tuple identity and score
   * of every position (as {@link Detector.Tape#add} computes them), no de-duplication tape.
   *
   * @param s the stream
   * @return a checksum (consumed by JMH)
   */
  @Benchmark
  public double splitHashOnly(Stream s) {
    Watermarker wm = s.watermarker;
    Detector d = s.detector;
    int h = s.h;
    long[] w = new long[TEXT];
    long acc = 0;
    double sum = 0;
    for (int[] text : s.texts) {
      wm.windowSeeds(text, h, text.length, w, 0);
      for (int t = h; t < text.length; t++) {
        long ws = w[t - h];
        acc += d.identity(ws, text[t]);
        sum += wm.score(ws, text[t]);
      }
    }
    return sum + acc;
  }

  /**
   * Diagnostic split of {@link #detectPresized}, the tape alone: the precomputed tuple identities
   * of the stream added one at a time to a tape sized ahead.
   *
   * @param s the stream
   * @return the number of new identities (consumed by JMH)
   */
  @Benchmark
  public int splitSetOnlyPresized(Stream s) {
    SeenSet seen = SeenSet.exact(s.tokens);
    int fresh = 0;
    for (long id : s.identities) {
      if (seen.add(id)) {
        fresh++;
      }
    }
    return fresh;
  }

  /**
   * Diagnostic split of {@link #detectPresized} without the window hash: the precomputed
   * (window seed, token) tuples of the stream inserted with {@link Detector.Tape#addTuples},
   * {@value #BATCH} at a time (identity, touch-first insertion, score).
   *
   * @param s the stream
   * @return the pooled score (consumed by JMH)
   */
  @Benchmark
  public double splitTuplesPresized(Stream s) {
    Detector.Tape tape = s.detector.newTape(SeenSet.exact(s.tokens));
    double[] out = new double[BATCH];
    long[] w = new long[BATCH];
    int[] tok = new int[BATCH];
    int n = s.identities.length;
    for (int c0 = 0; c0 < n; c0 += BATCH) {
      int m = Math.min(BATCH, n - c0);
      System.arraycopy(s.windowSeeds, c0, w, 0, m);
      System.arraycopy(s.tupleTokens, c0, tok, 0, m);
      tape.addTuples(w, tok, m, out);
    }
    return tape.score() + tape.tuplesScored();
  }

  /** Inputs of the p-value functions (not constants, so the JIT cannot fold the calls). */
  @State(Scope.Thread)
  public static class Tail {
    /** Number of tuples. */
    long n = N;
    /** Green count at mean + 3 sigma for gamma 0.25: 250,000 + 3 * 433. */
    long kNear = 251_300L;
    /** Green count far in the tail (p below 1e-300). */
    long kFar = 300_000L;
    /** Gumbel score at mean + 3 sigma: 10^6 + 3 * 1,000. */
    double xNear = 1_003_000.0;
    /** Gumbel score far in the tail (p below 1e-300). */
    double xFar = 1_100_000.0;
    /** Null green fraction. */
    double gamma = 0.25;
  }

  /**
   * Binomial tail near the threshold.
   *
   * @param t inputs
   * @return log10 p
   */
  @Benchmark
  public double binomialNear(Tail t) {
    return Tails.log10BinomialSurvival(t.n, t.kNear, t.gamma);
  }

  /**
   * Binomial tail far below 1e-300.
   *
   * @param t inputs
   * @return log10 p
   */
  @Benchmark
  public double binomialFar(Tail t) {
    return Tails.log10BinomialSurvival(t.n, t.kFar, t.gamma);
  }

  /**
   * Gamma tail near the threshold.
   *
   * @param t inputs
   * @return log10 p
   */
  @Benchmark
  public double gammaNear(Tail t) {
    return Tails.log10GammaSurvival((double) t.n, t.xNear);
  }

  /**
   * Gamma tail far below 1e-300.
   *
   * @param t inputs
   * @return log10 p
   */
  @Benchmark
  public double gammaFar(Tail t) {
    return Tails.log10GammaSurvival((double) t.n, t.xFar);
  }
}
