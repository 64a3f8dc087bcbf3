package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.SeenSet;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The reading-mode radioactivity test: the suspect's weights are available, so it "reads" our
 * watermarked texts and we look at what it would write next.
 *
 * <p>Each probe text is cut into chunks of {@code chunkLength} tokens, fed to the suspect
 * independently. At each position t of a chunk with at least h tokens before it, the suspect
 * predicts its top-1 next token y_t from the chunk's tokens before t (at most
 * {@code maxContext} of them); the tuple (window of the <em>input</em> text at t, y_t) is scored
 * if t is the window's first occurrence in the chunk and the tuple was not scored before on the
 * global de-duplication tape. The first {@code budget} tuples give one pooled exact p-value.
 *
 * <p>Validity: at a window's first occurrence in a chunk, no token the suspect sees was sampled
 * under that window's green list (the tokens it sees were sampled under other windows' lists,
 * which are independent of this one), so an innocent suspect's y_t is independent of the list
 * and green with probability gamma. A later occurrence of the window in the same chunk follows
 * a token that was sampled under the list, which any model that copies from its context (an
 * induction head) would repeat: green-enriched without any training, hence skipped.
 *
 * <p>Immutable and thread-safe if the suspect model is; each {@link #run} uses its own tape.
 */
public final class ReadingModeTest implements RadioactivityTest<Iterable<int[]>> {
  private final Watermarker watermarker;
  private final SuspectModel suspect;
  private final long budget;
  private final int curvePoints;
  private final double anytimeStop;
  private final int chunkLength;
  private final int maxContext;
  private final int batchSize;
  private final DetectorConfig config;
  private final boolean firstOccurrenceOnly;
  private final Supplier<SeenSet> seenSets;
  private final Progress progress;

  private ReadingModeTest(Builder b) {
    this.watermarker = b.watermarker;
    this.suspect = b.suspect;
    this.budget = b.budget;
    this.curvePoints = b.curvePoints;
    this.anytimeStop = b.anytimeStop;
    this.chunkLength = b.chunkLength;
    this.maxContext = b.maxContext == 0 ? b.chunkLength : b.maxContext;
    this.batchSize = b.batchSize;
    this.config = b.config;
    this.firstOccurrenceOnly = b.firstOccurrenceOnly;
    this.seenSets = b.seenSets;
    this.progress = b.progress;
  }

  /**
   * A builder.
   *
   * @param watermarker the scheme and key the probe texts were watermarked with
   * @param suspect the suspect model, with the watermark's vocabulary
   * @return a builder with budget 100,000, 200 curve points, chunks of 256, context up to the
   *     chunk start, 256 contexts per suspect call, the default detector options
   * @throws IllegalArgumentException if an argument is null or the vocabularies differ
   */
  public static Builder builder(Watermarker watermarker, SuspectModel suspect) {
    if (watermarker == null || suspect == null) {
      throw new IllegalArgumentException("watermarker and suspect must not be null");
    }
    if (suspect.vocabSize() != watermarker.spec().vocabSize()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "suspect vocabulary has %d tokens but the %s vocabulary has %d", suspect.vocabSize(),
          watermarker.spec().tokenizer(), watermarker.spec().vocabSize()));
    }
    return new Builder(watermarker, suspect);
  }

  /** @return the scheme and key */
  public Watermarker watermarker() {
    return watermarker;
  }

  /** @return the pre-registered budget in tuples */
  public long budget() {
    return budget;
  }

  /**
   * Runs the test over watermarked probe texts, in order, until {@code budget} tuples are
   * scored or the texts run out.
   *
   * @param probeTexts watermarked texts (token ids of the watermark's tokenizer)
   * @return the result at the budget
   * @throws IllegalArgumentException if a token id or a predicted id is outside the vocabulary
   */
  @Override
  public RadioactivityResult run(Iterable<int[]> probeTexts) {
    Detector detector = Detector.of(watermarker, config);
    Detector.Tape tape = detector.newTape(seenSets.get());
    Accumulator acc = new Accumulator(detector.nullModel(), budget, curvePoints, anytimeStop);
    int h = watermarker.spec().contextWidth();
    int vocab = watermarker.spec().vocabSize();
    int[][] contexts = new int[batchSize][];
    int[] lens = new int[batchSize];
    long[] windows = new long[batchSize];
    int[] predicted = new int[batchSize];
    int[] special = config.specialTokens();
    long read = 0;
    int pending = 0;
    for (int[] text : probeTexts) {
      Answer.checkIds("probe text", text, vocab);
      for (int start = 0; start < text.length && !acc.full(); start += chunkLength) {
        int len = Math.min(chunkLength, text.length - start);
        int[] chunk = java.util.Arrays.copyOfRange(text, start, start + len);
        SeenSet inChunk = SeenSet.exact();
        for (int t = Math.max(h, 1); t < len; t++) {
          long ws = watermarker.windowSeed(chunk, t);
          if (firstOccurrenceOnly && !inChunk.add(ws)) {
            continue;
          }
          int from = Math.max(0, t - maxContext);
          contexts[pending] = from == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, from, t);
          lens[pending] = t - from;
          windows[pending] = ws;
          pending++;
          if (pending == batchSize) {
            read += pending;
            if (flush(tape, acc, contexts, lens, windows, predicted, pending, vocab, special)) {
              progress.update(read, acc.tuples());
              return acc.result(Mode.READING, false, watermarker.keyId(), read);
            }
            progress.update(read, acc.tuples());
            pending = 0;
          }
        }
      }
      if (acc.full()) {
        break;
      }
    }
    if (pending > 0) {
      read += pending;
      flush(tape, acc, contexts, lens, windows, predicted, pending, vocab, special);
      progress.update(read, acc.tuples());
    }
    return acc.result(Mode.READING, false, watermarker.keyId(), read);
  }

  private boolean flush(Detector.Tape tape, Accumulator acc, int[][] contexts, int[] lens, long[] windows,
      int[] predicted, int n, int vocab, int[] special) {
    suspect.top1(contexts, lens, n, predicted);
    for (int b = 0; b < n; b++) {
      int y = predicted[b];
      if (y < 0 || y >= vocab) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "suspect prediction is not in [0, %d): %d", vocab, y));
      }
      if (special.length > 0 && java.util.Arrays.binarySearch(special, y) >= 0) {
        continue;
      }
      double x = tape.addTuple(windows[b], y);
      if (!Double.isNaN(x) && acc.add(x)) {
        return true;
      }
    }
    return false;
  }

  /** Mutable builder; {@link #build} freezes. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private final SuspectModel suspect;
    private int chunkLength = 256;
    private int maxContext;
    private int batchSize = 256;
    private boolean firstOccurrenceOnly = true;

    private Builder(Watermarker watermarker, SuspectModel suspect) {
      super(watermarker);
      this.suspect = suspect;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Tokens per chunk fed to the suspect.
     *
     * @param tokens in [2, 1048576]
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public Builder chunkLength(int tokens) {
      if (tokens < 2 || tokens > 1 << 20) {
        throw new IllegalArgumentException("chunkLength is not in [2, 1048576]: " + tokens);
      }
      this.chunkLength = tokens;
      return this;
    }

    /**
     * Longest context given to the suspect (the last tokens of the chunk prefix); 0 means the
     * whole prefix.
     *
     * @param tokens in [0, 1048576]
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxContext(int tokens) {
      if (tokens < 0 || tokens > 1 << 20) {
        throw new IllegalArgumentException("maxContext is not in [0, 1048576]: " + tokens);
      }
      this.maxContext = tokens;
      return this;
    }

    /**
     * Contexts per suspect call.
     *
     * @param contexts in [1, 65536]
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    public Builder batchSize(int contexts) {
      if (contexts < 1 || contexts > 65_536) {
        throw new IllegalArgumentException("batchSize is not in [1, 65536]: " + contexts);
      }
      this.batchSize = contexts;
      return this;
    }

    /**
     * Whether only a window's first occurrence in a chunk is scored (default true). False is
     * invalid (a copying suspect looks guilty) and exists to demonstrate why.
     *
     * @param only the setting
     * @return this
     */
    public Builder firstOccurrenceOnly(boolean only) {
      this.firstOccurrenceOnly = only;
      return this;
    }

    /** @return the test */
    public ReadingModeTest build() {
      return new ReadingModeTest(this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ReadingModeTest[key=%s, budget=%d, chunk=%d, context=%d, batch=%d]",
        watermarker.keyId(), budget, chunkLength, maxContext, batchSize);
  }
}
