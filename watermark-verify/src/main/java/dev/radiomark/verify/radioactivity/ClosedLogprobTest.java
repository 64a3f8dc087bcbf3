package dev.radiomark.verify.radioactivity;

import dev.radiomark.Scheme;
import dev.radiomark.Watermarker;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.SeenSet;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Closed mode with log-probabilities: the suspect is an API that returns, with each answer, the
 * top-k log-probabilities of its own next tokens. At each answer position t the suspect's
 * alternatives y are scored as tuples (window of the prompt and answer before t, y), instead of
 * the one token it emitted.
 *
 * <p>Exclusions and de-duplication are those of {@link ClosedModelTest}, applied to each
 * alternative: positions before the h-th token of prompt and answer, positions whose window
 * occurs in the answer's prompt, alternatives that are special tokens, one of the prompt's first
 * h tokens, or (where a tuple's seed is not its window's) the tuple of a prompt token; under the
 * tournament scheme only a window's first occurrence in the answer; in the supervised variant
 * only windows in the ledger; and every tuple once on the one de-duplication tape of the run.
 * With k = 1 and the emitted tokens as the alternatives this is {@link ClosedModelTest} exactly.
 *
 * <p>Unweighted, the distinct tuples' scores are independent draws from the scheme's null under
 * H0 and the pooled p-value is exact (Binomial(n, gamma) for the green list). Weighted, each
 * term is weighted by the suspect's probability of its token and the p-value is the Chernoff
 * bound of {@link dev.radiomark.verify.stats.WeightedNull}, provably conservative.
 *
 * <p>Validity: under H0 the suspect never saw text sampled under our key, so its distribution
 * at position t - and so its top-k alternatives and their probabilities - is a function of the
 * prompt and its own earlier tokens, none of which depend on the green list of the window at t
 * once the prompt's windows, tuples and lead tokens are excluded (the same argument as for the
 * emitted token, and as reading mode's for the suspect's alternatives). Which tuples are scored,
 * and their weights, are therefore independent of their scores.
 *
 * <p>Immutable and thread-safe; each {@link #run} uses its own tape.
 *
 * <pre>{@code
 * ClosedLogprobTest test = ClosedLogprobTest.builder(watermarker).weighted(true).budget(100_000).build();
 * RadioactivityResult r = test.run(answersWithLogprobs);
 * }</pre>
 */
public final class ClosedLogprobTest implements RadioactivityTest<Iterable<AnswerLogprobs>> {
  private final Watermarker watermarker;
  private final ServedWindowLedger ledger;
  private final long budget;
  private final int curvePoints;
  private final double anytimeStop;
  private final DetectorConfig config;
  private final Supplier<SeenSet> seenSets;
  private final Progress progress;
  private final int topK;
  private final boolean weighted;

  private ClosedLogprobTest(Builder b) {
    this.watermarker = b.watermarker;
    this.ledger = b.ledger;
    this.budget = b.budget;
    this.curvePoints = b.curvePoints;
    this.anytimeStop = b.anytimeStop;
    this.config = b.config;
    this.seenSets = b.seenSets;
    this.progress = b.progress;
    this.topK = b.topK;
    this.weighted = b.weighted;
  }

  /**
   * A builder for a test under one key.
   *
   * @param watermarker the scheme and key the suspect may have learned
   * @return a builder with budget 100,000 tuples, 200 curve points, all k alternatives given,
   *     unweighted, the default detector options, an exact tape and no ledger
   * @throws IllegalArgumentException if watermarker is null
   */
  public static Builder builder(Watermarker watermarker) {
    if (watermarker == null) {
      throw new IllegalArgumentException("watermarker is null");
    }
    return new Builder(watermarker);
  }

  /** @return the scheme and key */
  public Watermarker watermarker() {
    return watermarker;
  }

  /** @return the pre-registered budget in tuples (weighted terms when weighted) */
  public long budget() {
    return budget;
  }

  /**
   * Runs the test over the answers, in order, until {@code budget} tuples are scored or the
   * answers run out.
   *
   * @param answers the suspect's answers with their alternatives, token ids of the watermark's tokenizer
   * @return the result at the budget (mode {@link Mode#CLOSED})
   * @throws IllegalArgumentException if a token id or an alternative is outside the vocabulary
   */
  @Override
  public RadioactivityResult run(Iterable<AnswerLogprobs> answers) {
    Detector detector = Detector.of(watermarker, config);
    Detector.Tape tape = detector.newTape(seenSets.get());
    TupleSink sink = new TupleSink(detector, Mode.CLOSED, ledger != null, weighted, budget, curvePoints, anytimeStop);
    int h = watermarker.spec().contextWidth();
    int vocab = watermarker.spec().vocabSize();
    int[] special = config.specialTokens();
    boolean firstWindowOnly = watermarker.spec().scheme() == Scheme.TOURNAMENT;
    boolean tuples = detector.tupleSeedMayDifferFromWindow();
    long read = 0;
    for (AnswerLogprobs al : answers) {
      int[] prompt = al.answer().prompt();
      int[] text = al.answer().text();
      Answer.checkIds("prompt", prompt, vocab);
      Answer.checkIds("text", text, vocab);
      int[] ids = al.ids();
      for (int j = 0; j < ids.length; j++) {
        if (ids[j] >= vocab) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "alternative %d of text token %d is not in [0, %d): %d (vocabulary mismatch?)",
              j % al.k(), j / al.k(), vocab, ids[j]));
        }
      }
      int p = prompt.length;
      int[] stream = Arrays.copyOf(prompt, p + text.length);
      System.arraycopy(text, 0, stream, p, text.length);
      // Sorted seeds, searched without boxing: the prompt's windows and tuples, fixed per answer.
      long[] promptWindows = new long[0];
      long[] promptTuples = new long[0];
      int[] lead = new int[0];
      if (config.excludePromptWindows()) {
        if (h > 0 && p >= h) {
          promptWindows = new long[p - h + 1];
          for (int e = h; e <= p; e++) {
            promptWindows[e - h] = watermarker.windowSeed(stream, e);
          }
          Arrays.sort(promptWindows);
        }
        if (tuples && p > h) {
          promptTuples = new long[p - h];
          for (int e = h; e < p; e++) {
            promptTuples[e - h] = detector.identity(watermarker.windowSeed(stream, e), stream[e]);
          }
          Arrays.sort(promptTuples);
        }
        lead = Arrays.copyOf(prompt, Math.min(h, p));
      }
      SeenSet textWindows = SeenSet.exact();
      int k = al.k();
      int use = Math.min(k, topK);
      for (int i = 0; i < text.length; i++) {
        int t = p + i;
        if (t < h) {
          continue;
        }
        long ws = watermarker.windowSeed(stream, t);
        if (Arrays.binarySearch(promptWindows, ws) >= 0
            || firstWindowOnly && !textWindows.add(ws)
            || ledger != null && !ledger.mightContain(ws)) {
          continue;
        }
        for (int j = i * k; j < i * k + use; j++) {
          int y = ids[j];
          if (y == -1) {
            continue;
          }
          if (special.length > 0 && Arrays.binarySearch(special, y) >= 0 || contains(lead, y)
              || tuples && Arrays.binarySearch(promptTuples, detector.identity(ws, y)) >= 0) {
            continue;
          }
          if (sink.add(tape.addTuple(ws, y), al.logProbs()[j])) {
            read += i + 1;
            progress.update(read, sink.tuples());
            return sink.result(read);
          }
        }
      }
      read += text.length;
      progress.update(read, sink.tuples());
    }
    return sink.result(read);
  }

  private static boolean contains(int[] tokens, int token) {
    for (int x : tokens) {
      if (x == token) {
        return true;
      }
    }
    return false;
  }

  /** Mutable builder; {@link #build} checks and freezes. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private final ClosedModelTest.Builder closed;
    private ServedWindowLedger ledger;
    private int topK = 4096;
    private boolean weighted;

    private Builder(Watermarker watermarker) {
      super(watermarker);
      this.closed = ClosedModelTest.builder(watermarker);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * The supervised variant: only windows in the ledger are scored (checked as
     * {@link ClosedModelTest.Builder#ledger}).
     *
     * @param ledger served windows of this key, or null for the unsupervised test
     * @return this
     * @throws IllegalArgumentException if the ledger belongs to another key or spec, or the spec
     *     uses the self-seeding window rule
     */
    public Builder ledger(ServedWindowLedger ledger) {
      closed.ledger(ledger);
      this.ledger = ledger;
      return this;
    }

    /**
     * Scores at most the first k alternatives of each position (fixed before looking at results).
     *
     * @param k in [1, 4096]; default 4096, every alternative given
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public Builder topK(int k) {
      if (k < 1 || k > 4096) {
        throw new IllegalArgumentException("topK is not in [1, 4096]: " + k);
      }
      this.topK = k;
      return this;
    }

    /**
     * Weights each scored tuple by the suspect's probability of its token, with the conservative
     * Chernoff tail instead of the exact null; the budget counts weighted tuples.
     *
     * @param on whether to weight
     * @return this
     */
    public Builder weighted(boolean on) {
      this.weighted = on;
      return this;
    }

    /**
     * @return the test
     * @throws IllegalArgumentException if both {@link #weighted} and the anytime test are on
     */
    public ClosedLogprobTest build() {
      if (weighted && !Double.isNaN(anytimeStop)) {
        throw new IllegalArgumentException("weighted scoring has no anytime test: use one or the other");
      }
      return new ClosedLogprobTest(this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ClosedLogprobTest[key=%s, supervised=%s, budget=%d, topK=%d, weighted=%s, %s]",
        watermarker.keyId(), ledger != null, budget, topK, weighted, config);
  }
}
