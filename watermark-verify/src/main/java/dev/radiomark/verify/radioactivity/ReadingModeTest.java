package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.SeenSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>"Occurrence" counts every token the suspect reads: the token at chunk position s was
 * sampled under the text's window at s, so the windows of the chunk's first h positions (which
 * reach back before the chunk) count too. Where a tuple's seed is not its window's (the
 * self-seeding rule, and h = 0), a prediction is also skipped when its tuple (seed and token)
 * is the tuple of a token the suspect read earlier in the chunk: that token was sampled under
 * the same keyed value, so copying it is green-enriched without any training. With h = 0 every
 * token shares the one empty window, so no position is a first occurrence and the test scores
 * nothing (it is inconclusive by construction). The first h tokens of each probe text were
 * sampled under windows that reach back before the text and cannot be seen; in the first chunk,
 * a prediction equal to one of them is not scored.
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
  private static final int[] NO_LEAD = new int[0];

  private final Watermarker watermarker;
  private final SuspectModel suspect;
  private final long budget;
  private final int curvePoints;
  private final double anytimeStop;
  private final int chunkLength;
  private final int maxContext;
  private final int batchSize;
  private final int insertBatch;
  private final DetectorConfig config;
  private final boolean firstOccurrenceOnly;
  private final int topK;
  private final boolean weighted;
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
    this.insertBatch = b.insertBatch;
    this.config = b.config;
    this.firstOccurrenceOnly = b.firstOccurrenceOnly;
    this.topK = b.topK;
    this.weighted = b.weighted;
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
    TupleSink sink = new TupleSink(detector, Mode.READING, false, weighted, budget, curvePoints, anytimeStop);
    int h = watermarker.spec().contextWidth();
    int vocab = watermarker.spec().vocabSize();
    Batch batch = new Batch(batchSize, topK, insertBatch);
    boolean tuples = firstOccurrenceOnly && detector.tupleSeedMayDifferFromWindow();
    // The text's window seeds at a chunk's positions, in one windowSeeds call: the chunk's own
    // windows, its input tuples' and the occurrences before it are all among them.
    long[] windows = new long[chunkLength];
    long read = 0;
    for (int[] text : probeTexts) {
      Answer.checkIds("probe text", text, vocab);
      for (int start = 0; start < text.length && !sink.full(); start += chunkLength) {
        int len = Math.min(chunkLength, text.length - start);
        int[] chunk = Arrays.copyOfRange(text, start, start + len);
        // windows[at - w0] is the window seed of text position at, for at in [w0, start + len).
        int w0 = Math.max(start, h);
        if (w0 < start + len) {
          watermarker.windowSeeds(text, w0, start + len, windows, 0);
        }
        // What the suspect reads was sampled under the text's windows, the first h of which
        // lie partly before the chunk: they count as occurrences too.
        SeenSet inChunk = SeenSet.exact();
        for (int at = w0; at < start + Math.min(h, len); at++) {
          inChunk.add(windows[at - w0]);
        }
        Map<Long, Integer> firstTuple =
            tuples ? inputTuples(detector, text, start, len, w0, windows) : null;
        // The text's first h tokens were sampled under windows that reach back before it,
        // which cannot be seen: predicting one of them is never scored in the first chunk.
        int[] lead = start == 0 ? Arrays.copyOf(text, Math.min(h, text.length)) : NO_LEAD;
        for (int t = Math.max(h, 1); t < len; t++) {
          // The chunk's window [t - h, t) is the text's [start + t - h, start + t), t >= h.
          long ws = windows[start + t - w0];
          if (firstOccurrenceOnly && !inChunk.add(ws)) {
            continue;
          }
          int from = Math.max(0, t - maxContext);
          batch.add(from == 0 ? chunk : Arrays.copyOfRange(chunk, from, t), t - from, ws, t, firstTuple, lead);
          if (batch.full()) {
            read += batch.size;
            boolean done = flush(detector, tape, sink, batch, vocab);
            progress.update(read, sink.tuples());
            if (done) {
              return sink.result(read);
            }
          }
        }
      }
      if (sink.full()) {
        break;
      }
    }
    if (batch.size > 0) {
      read += batch.size;
      flush(detector, tape, sink, batch, vocab);
      progress.update(read, sink.tuples());
    }
    return sink.result(read);
  }

  /**
   * The first chunk position of each tuple identity the suspect reads: the token at chunk
   * position s was sampled under the tuple (text window at start + s, token).
   *
   * @param from the chunk's first text position with a full window, {@code max(start, h)}
   * @param windows the window seeds of text positions [from, start + len), from index 0
   */
  private static Map<Long, Integer> inputTuples(Detector detector, int[] text, int start, int len,
      int from, long[] windows) {
    Map<Long, Integer> first = new HashMap<>();
    for (int at = from; at < start + len; at++) {
      first.putIfAbsent(detector.identity(windows[at - from], text[at]), at - start);
    }
    return first;
  }

  /** Contexts waiting for one suspect call, with what scoring needs to know of each. */
  private static final class Batch {
    final int[][] contexts;
    final int[] lens;
    final long[] windows;
    final int[] positions;
    final List<Map<Long, Integer>> firstTuples;
    final int[][] leads;
    final int[] predicted;
    final float[] logProbs;
    /** Tuples that passed the filters, waiting for one batched insertion into the tape. */
    final long[] tupleWindows;
    final int[] tupleTokens;
    final float[] tupleLogProbs;
    final double[] tupleScores;
    int size;

    Batch(int capacity, int k, int pending) {
      tupleWindows = new long[pending];
      tupleTokens = new int[pending];
      tupleLogProbs = new float[pending];
      tupleScores = new double[pending];
      contexts = new int[capacity][];
      lens = new int[capacity];
      windows = new long[capacity];
      positions = new int[capacity];
      firstTuples = new ArrayList<>(Collections.nCopies(capacity, null));
      leads = new int[capacity][];
      predicted = new int[capacity * k];
      logProbs = new float[capacity * k];
    }

    void add(int[] context, int len, long window, int position, Map<Long, Integer> firstTuple, int[] lead) {
      contexts[size] = context;
      lens[size] = len;
      windows[size] = window;
      positions[size] = position;
      firstTuples.set(size, firstTuple);
      leads[size] = lead;
      size++;
    }

    boolean full() {
      return size == contexts.length;
    }
  }

  /** Most tuples inserted into the tape by one {@link Detector.Tape#addTuples} call. */
  static final int PENDING = 256;

  /**
   * Scores a batch and empties it; true once the budget is reached. The tuples that pass the
   * filters are inserted into the tape up to {@link #PENDING} at a time (by default)
   * ({@link Detector.Tape#addTuples}, in order, so the first occurrence of a tuple is still the
   * one scored) and then handed to the sink in order, which stops at the budget: the same
   * result as one {@link Detector.Tape#addTuple} at a time (tuples inserted after the budget is
   * reached only reach this run's own tape, which is then dropped).
   */
  private boolean flush(Detector detector, Detector.Tape tape, TupleSink sink, Batch batch, int vocab) {
    int n = batch.size;
    batch.size = 0;
    int[] special = config.specialTokens();
    int m = 0;
    if (topK == 1 && !weighted) {
      suspect.top1(batch.contexts, batch.lens, n, batch.predicted);
    } else {
      suspect.topK(batch.contexts, batch.lens, n, topK, batch.predicted, batch.logProbs);
    }
    for (int b = 0; b < n; b++) {
      for (int j = b * topK; j < (b + 1) * topK; j++) {
        int y = batch.predicted[j];
        if (y == -1 && topK > 1) {
          continue; // fewer than k possible tokens
        }
        if (y < 0 || y >= vocab) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "suspect prediction is not in [0, %d): %d", vocab, y));
        }
        if (special.length > 0 && Arrays.binarySearch(special, y) >= 0 || contains(batch.leads[b], y)) {
          continue;
        }
        Map<Long, Integer> firstTuple = batch.firstTuples.get(b);
        if (firstTuple != null) {
          // The suspect read a token sampled under this very tuple: copying it is not learning.
          Integer at = firstTuple.get(detector.identity(batch.windows[b], y));
          if (at != null && at < batch.positions[b]) {
            continue;
          }
        }
        batch.tupleWindows[m] = batch.windows[b];
        batch.tupleTokens[m] = y;
        batch.tupleLogProbs[m] = batch.logProbs[j];
        m++;
        if (m == batch.tupleWindows.length) {
          if (score(tape, sink, batch, m)) {
            return true;
          }
          m = 0;
        }
      }
    }
    return m > 0 && score(tape, sink, batch, m);
  }

  /** Inserts the batch's first m pending tuples into the tape and the sink; true once full. */
  private static boolean score(Detector.Tape tape, TupleSink sink, Batch batch, int m) {
    tape.addTuples(batch.tupleWindows, batch.tupleTokens, m, batch.tupleScores);
    for (int i = 0; i < m; i++) {
      if (sink.add(batch.tupleScores[i], batch.tupleLogProbs[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(int[] tokens, int token) {
    for (int x : tokens) {
      if (x == token) {
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
    private int insertBatch = PENDING;
    private boolean firstOccurrenceOnly = true;
    private int topK = 1;
    private boolean weighted;

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
     * Most tuples per batched insertion into the tape (tests: 1 is the one-at-a-time path).
     *
     * @param tuples in [1, 65536]
     * @return this
     * @throws IllegalArgumentException if out of range
     */
    Builder insertBatch(int tuples) {
      if (tuples < 1 || tuples > 65_536) {
        throw new IllegalArgumentException("insertBatch is not in [1, 65536]: " + tuples);
      }
      this.insertBatch = tuples;
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

    /**
     * Scores the suspect's k most probable next tokens at each position instead of its top-1
     * (distinct tuples; with {@link #weighted} off their scores are independent under H0 and
     * the pooled null is exact). Needs {@link SuspectModel#topK} (computed from the logits by
     * default).
     *
     * @param k tokens per position, in [1, 4096]
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
     * Distribution-level scoring: each scored tuple is weighted by the suspect's probability of
     * its token (the green mass of the suspect's distribution, for the green list), with the
     * provably conservative Chernoff tail of {@link dev.radiomark.verify.stats.WeightedNull}
     * instead of the exact null. The budget counts weighted tuples.
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
     *     (the anytime test bets on single scores with a known law, not on weighted sums)
     */
    public ReadingModeTest build() {
      if (weighted && !Double.isNaN(anytimeStop)) {
        throw new IllegalArgumentException("weighted scoring has no anytime test: use one or the other");
      }
      return new ReadingModeTest(this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ReadingModeTest[key=%s, budget=%d, chunk=%d, context=%d, batch=%d]",
        watermarker.keyId(), budget, chunkLength, maxContext, batchSize);
  }
}
