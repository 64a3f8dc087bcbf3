package dev.radiomark.verify;

import dev.radiomark.Scheme;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.prf.KeyedPrf;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Scores token sequences under one key and computes exact p-values.
 *
 * <p>A position t of a text (with window w = the h tokens before it, prompt tokens included as
 * context) is scored unless: it has fewer than h tokens before it; its token is special; its
 * window occurs in the prompt, or its tuple (tuple seed and token, {@link #identity}) is the
 * tuple of a prompt token (copied, not generated; the tuple check matters where the tuple seed
 * is not the window seed: self-seeding, and h = 0, whose single empty window every position
 * shares and is therefore not excluded as a window), or its token is one of the prompt's first
 * h tokens (sampled under windows that reach back before the prompt, which cannot be seen); for the tournament, its window already
 * occurred earlier in the same text (generation did not watermark it); a window filter rejects
 * it; or its tuple ({@link Dedup#TUPLE}) was already scored on this {@link Tape}, or
 * ({@link Dedup#WINDOW}) its window or its tuple was. The scored tuples are distinct, hence independent
 * under H0, and their summed score has the exact null of {@link NullModel}. The window that ends
 * where the prompt ends is itself a prompt window, so with a prompt of at least h tokens the
 * first text token is never scored.
 *
 * <p>Immutable and thread-safe; a {@link Tape} (one pooled test) is not.
 */
public final class Detector {
  /** Per-position mask value: the position was not scored. */
  public static final byte NOT_SCORED = 0;
  /** Per-position mask value: scored, score at or below the null mean (for example red). */
  public static final byte SCORED = 1;
  /** Per-position mask value: scored, score above the null mean (for example green). */
  public static final byte SCORED_HIT = 2;

  private final Watermarker watermarker;
  private final DetectorConfig config;
  private final NullModel nullModel;
  private final int h;
  private final boolean firstWindowOnly;
  private final boolean tupleSeedMayDifferFromWindow;

  private Detector(Watermarker watermarker, DetectorConfig config) {
    this.watermarker = watermarker;
    this.config = config;
    this.nullModel = NullModel.of(watermarker.spec());
    this.h = watermarker.spec().contextWidth();
    this.firstWindowOnly = watermarker.spec().scheme() == Scheme.TOURNAMENT;
    this.tupleSeedMayDifferFromWindow = h == 0 || watermarker.spec().windowRule() == WindowRule.SELF_SEEDING;
  }

  /**
   * A detector with the default (valid) options.
   *
   * @param watermarker scheme and key
   * @return the detector
   */
  public static Detector of(Watermarker watermarker) {
    return of(watermarker, DetectorConfig.defaults());
  }

  /**
   * A detector with options.
   *
   * @param watermarker scheme and key
   * @param config options
   * @return the detector
   */
  public static Detector of(Watermarker watermarker, DetectorConfig config) {
    if (watermarker == null || config == null) {
      throw new IllegalArgumentException("watermarker and config must not be null");
    }
    return new Detector(watermarker, config);
  }

  /** @return the scheme and key */
  public Watermarker watermarker() {
    return watermarker;
  }

  /** @return the options */
  public DetectorConfig config() {
    return config;
  }

  /** @return the exact null of this scheme */
  public NullModel nullModel() {
    return nullModel;
  }

  /**
   * Scores one text on a fresh tape.
   *
   * @param prompt prompt tokens (may be empty)
   * @param text text tokens
   * @return the result
   */
  public DetectionResult detect(int[] prompt, int[] text) {
    Tape tape = newTape();
    tape.add(prompt, text, null, null);
    return tape.result();
  }

  /**
   * A pooled test with an exact de-duplication tape.
   *
   * @return a new tape
   */
  public Tape newTape() {
    return new Tape(SeenSet.exact());
  }

  /**
   * A pooled test with a given de-duplication tape (for example {@link SeenSet#bounded}).
   *
   * @param seen the tape's memory of scored identities
   * @return a new tape
   */
  public Tape newTape(SeenSet seen) {
    return new Tape(seen);
  }

  /**
   * The display mask of per-token scores from {@link Tape#add}.
   *
   * @param scores per-token scores, NaN where not scored
   * @return {@link #NOT_SCORED}, {@link #SCORED} or {@link #SCORED_HIT} per token
   */
  public byte[] mask(double[] scores) {
    byte[] m = new byte[scores.length];
    for (int i = 0; i < scores.length; i++) {
      double x = scores[i];
      m[i] = Double.isNaN(x) ? NOT_SCORED : nullModel.isHit(x) ? SCORED_HIT : SCORED;
    }
    return m;
  }

  /** Whether token is one of the lead tokens (at most h of them). */
  static boolean isLead(int[] lead, int token) {
    for (int x : lead) {
      if (x == token) {
        return true;
      }
    }
    return false;
  }

  private static final int[] NO_TOKENS = new int[0];

  /** The bits of {@link Double#NaN}. */
  private static final long NAN_BITS = Double.doubleToRawLongBits(Double.NaN);

  /** Positions per pass of {@link Tape#add}. */
  private static final int CHUNK = 256;

  /** Added to a token before its hash in a tuple identity. */
  private static final long IDENTITY_TOKEN_SALT = 0x632BE59BD9B4E019L;

  /** Identity of a tuple for de-duplication. */
  static long tupleIdentity(long tupleSeed, int token) {
    return KeyedPrf.mix64(tupleSeed ^ KeyedPrf.mix64((token & 0xffffffffL) + IDENTITY_TOKEN_SALT));
  }

  /**
   * {@code id[j] = tupleIdentity(tupleSeeds[j], tokens[at + j])} for j in [0, m), in three loops
   * of one step each (the tokens widened, their own hash, the identity): C2 vectorises each of
   * the last two, but not the whole of one loop.
   */
  static void tupleIdentities(long[] tupleSeeds, int[] tokens, int at, int m, long[] id) {
    for (int j = 0; j < m; j++) {
      id[j] = tokens[at + j] & 0xffffffffL;
    }
    for (int j = 0; j < m; j++) {
      id[j] = KeyedPrf.mix64(id[j] + IDENTITY_TOKEN_SALT);
    }
    for (int j = 0; j < m; j++) {
      id[j] = KeyedPrf.mix64(tupleSeeds[j] ^ id[j]);
    }
  }

  /**
   * The identity of what a position's score depends on: its tuple seed and its token. Two
   * positions with the same identity always get the same score under any key.
   *
   * @param windowSeed the position's window seed
   * @param token the token scored after it
   * @return the 64-bit identity
   */
  public long identity(long windowSeed, int token) {
    return tupleIdentity(watermarker.tupleSeed(windowSeed, token), token);
  }

  /**
   * Whether a position's tuple seed can differ from its window seed, so that exclusions keyed
   * on windows do not cover tuples: under the self-seeding rule (the token takes part in the
   * seed, and one seed is shared by many windows) and for h = 0 (every position shares the one
   * empty window, so only the token tells tuples apart).
   *
   * @return true if exclusions must also be keyed on {@link #identity}
   */
  public boolean tupleSeedMayDifferFromWindow() {
    return tupleSeedMayDifferFromWindow;
  }

  /**
   * One pooled test over many texts: tuples are de-duplicated across all of them and scored
   * into one statistic. Not thread-safe.
   */
  public final class Tape {
    private final SeenSet seen;
    private long read;
    private long scored;
    private long repeats;
    private long prompt;
    private long other;
    private double score;
    private final long[] seeds = new long[CHUNK];
    private final long[] windows = new long[CHUNK];
    private final long[] tupleSeeds = new long[CHUNK];
    private final long[] ids = new long[CHUNK];
    private final byte[] fresh = new byte[CHUNK];
    private final int[] newTokens = new int[CHUNK];
    private final double[] newScores = new double[CHUNK];
    private final byte[] state = new byte[CHUNK];

    private Tape(SeenSet seen) {
      if (seen == null) {
        throw new IllegalArgumentException("seen set is null");
      }
      this.seen = seen;
    }

    /**
     * Adds one text to the pool.
     *
     * @param promptTokens prompt tokens (context; its windows are excluded when configured)
     * @param text text tokens to score
     * @param windowFilter when not null, only positions whose window seed it accepts are scored
     *     (the supervised test's ledger); it must depend on the window only
     * @param scores when not null, receives each text token's score, or NaN where the token
     *     was not scored; length at least {@code text.length}
     * @return this text's own counts and score (its p-value as if it were scored alone on
     *     what this tape let through)
     */
    public DetectionResult add(int[] promptTokens, int[] text, LongPredicate windowFilter, double[] scores) {
      checkTokens("prompt", promptTokens);
      checkTokens("text", text);
      int p = promptTokens.length;
      if (p == 0 && windowFilter == null && !config.hasSpecialTokens()
          && config.dedup() == Dedup.TUPLE && !firstWindowOnly) {
        return addUnprompted(text, scores);
      }
      int[] stream;
      if (p == 0) {
        stream = text; // read only: no copy needed
      } else {
        stream = new int[p + text.length];
        System.arraycopy(promptTokens, 0, stream, 0, p);
        System.arraycopy(text, 0, stream, p, text.length);
      }
      LongHashSet promptWindows = null;
      LongHashSet promptTuples = null;
      int[] lead = NO_TOKENS;
      if (config.excludePromptWindows()) {
        // h = 0 has one empty window shared by every position: excluding it as a prompt window
        // would skip the whole text; its prompt tuples (a prompt token under the one list) are
        // excluded below instead.
        if (h > 0 && p >= h) {
          promptWindows = new LongHashSet();
          for (int e = h; e <= p; e++) {
            promptWindows.add(watermarker.windowSeed(stream, e));
          }
        }
        if (tupleSeedMayDifferFromWindow && p > h) {
          promptTuples = new LongHashSet();
          for (int e = h; e < p; e++) {
            promptTuples.add(identity(watermarker.windowSeed(stream, e), stream[e]));
          }
        }
        // The prompt's first h tokens were sampled under windows that reach back before the
        // prompt and cannot be seen; under min-hash and self-seeding those seeds are shared by
        // unrelated windows, so a text token equal to one of them is skipped whatever its window.
        lead = Arrays.copyOf(promptTokens, Math.min(h, p));
      }
      LongHashSet textWindows = firstWindowOnly ? new LongHashSet() : null;
      long n = 0;
      long rep = 0;
      long pr = 0;
      long oth = 0;
      double s = 0;
      Dedup dedup = config.dedup();
      // Two passes per chunk of positions, with the same calls in the same order as one pass:
      // first every filter and window seed (the chunk's window seeds in one call, which hashes
      // two windows per loop body) and the tuple identity, then the de-duplication tape and the
      // scores (each at its tuple seed, so self-seeding hashes the token once). The tape's lookups of a chunk are then independent of each other
      // and of the hashing, so the exact set can fetch their table slots together.
      int len = text.length;
      for (int c0 = 0; c0 < len; c0 += CHUNK) {
        int c1 = Math.min(len, c0 + CHUNK);
        int m = 0;
        int e0 = Math.max(p + c0, h);
        if (e0 < p + c1) {
          watermarker.windowSeeds(stream, e0, p + c1, windows, 0);
        }
        for (int i = c0; i < c1; i++) {
          int t = p + i;
          int token = stream[t];
          byte st;
          if (t < h || config.isSpecial(token)) {
            oth++;
            st = NOT_SCORED;
          } else {
            long ws = windows[t - e0];
            long ts = ws;
            long id = 0L;
            if (dedup != Dedup.NONE || promptTuples != null) {
              ts = watermarker.tupleSeed(ws, token);
              id = tupleIdentity(ts, token);
            }
            if (promptWindows != null && promptWindows.contains(ws)
                || promptTuples != null && promptTuples.contains(id)
                || isLead(lead, token)) {
              pr++;
              st = NOT_SCORED;
            } else if (textWindows != null && !textWindows.add(ws)) {
              oth++;
              st = NOT_SCORED;
            } else if (windowFilter != null && !windowFilter.test(ws)) {
              oth++;
              st = NOT_SCORED;
            } else {
              st = SCORED;
              seeds[m] = ws;
              tupleSeeds[m] = ts;
              ids[m] = id;
              m++;
            }
          }
          state[i - c0] = st;
        }
        if (dedup == Dedup.TUPLE) {
          addAll(ids, m, fresh);
        } else if (dedup == Dedup.WINDOW) {
          // A new window is not enough: under self-seeding two windows can share a tuple seed.
          for (int j = 0; j < m; j++) {
            fresh[j] = (byte) (seen.add(seeds[j]) && seen.add(ids[j]) ? 1 : 0);
          }
        }
        int j = 0;
        for (int i = c0; i < c1; i++) {
          double x = Double.NaN;
          if (state[i - c0] == SCORED) {
            if (dedup != Dedup.NONE && fresh[j] == 0) {
              rep++;
            } else {
              // Scored at the tuple seed: the same score (Watermarker: equal tuple seeds and
              // tokens score the same, and a tuple seed is its own tuple seed).
              x = watermarker.score(tupleSeeds[j], stream[p + i]);
              s += x;
              n++;
            }
            j++;
          }
          if (scores != null) {
            scores[i] = x;
          }
        }
      }
      return record(text.length, n, rep, pr, oth, s);
    }

    private void checkTokens(String what, int[] tokens) {
      int v = watermarker.spec().vocabSize();
      for (int i = 0; i < tokens.length; i++) {
        if (tokens[i] < 0 || tokens[i] >= v) {
          throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
              "%s token %d is not in [0, %d): %d", what, i, v, tokens[i]));
        }
      }
    }

    /** {@link SeenSet#add} of {@code keys[0, n)} in order; {@code out[i]}: 1 if key i was new. */
    private void addAll(long[] keys, int n, byte[] out) {
      if (seen instanceof LongHashSet) {
        ((LongHashSet) seen).addAll(keys, n, out);
      } else {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (seen.add(keys[i]) ? 1 : 0);
        }
      }
    }

    /**
     * {@link #add} of a text without prompt, window filter or special tokens, with tuple
     * de-duplication and no first-window rule: the same counts, scores and tape, bit for bit.
     * Every position from h on is scored unless its tuple is a repeat, so a run of positions
     * needs one {@link Watermarker#tupleSeeds} call, its identities, one batched insertion
     * and the scores of the new tuples, with no per-position checks.
     */
    private DetectionResult addUnprompted(int[] text, double[] scores) {
      int len = text.length;
      int first = Math.min(h, len);
      if (scores != null) {
        Arrays.fill(scores, 0, first, Double.NaN);
      }
      long n = 0;
      long rep = 0;
      double s = 0;
      long[] ts = tupleSeeds;
      long[] id = ids;
      byte[] isNew = fresh;
      for (int c0 = first; c0 < len; c0 += CHUNK) {
        int m = Math.min(len - c0, CHUNK);
        watermarker.tupleSeeds(text, c0, c0 + m, ts, 0);
        tupleIdentities(ts, text, c0, m, id);
        addAll(id, m, isNew);
        int k = 0;
        for (int j = 0; j < m; j++) {
          // The new tuples, in order, without a branch (new or repeat is a coin toss).
          ts[k] = ts[j];
          newTokens[k] = text[c0 + j];
          k += isNew[j];
        }
        watermarker.scoresAtTupleSeeds(ts, newTokens, k, newScores);
        for (int i = 0; i < k; i++) {
          s += newScores[i];
        }
        n += k;
        rep += m - k;
        if (scores != null) {
          spread(isNew, m, newScores, scores, c0);
        }
      }
      return record(len, n, rep, 0, first, s);
    }

    /**
     * Writes the scores of the new tuples of a run of {@code m} positions back to their
     * positions: {@code out[at + j]} is the next of {@code newScores} where {@code isNew[j]} is 1,
     * NaN where it is 0.
     */
    private static void spread(byte[] isNew, int m, double[] newScores, double[] out, int at) {
      int k = 0;
      for (int j = 0; j < m; j++) {
        out[at + j] = isNew[j] != 0 ? newScores[k++] : Double.NaN;
      }
    }

    /** Adds one text's counts to the tape's and returns the text's own result. */
    private DetectionResult record(int len, long n, long rep, long pr, long oth, double s) {
      read += len;
      scored += n;
      repeats += rep;
      prompt += pr;
      other += oth;
      score += s;
      return new DetectionResult(watermarker.keyId(), len, n, rep, pr, oth, s,
          nullModel.meanPerTuple(), nullModel.rateScale(), nullModel.log10P(n, s));
    }

    private boolean isNew(long windowSeed, int token) {
      switch (config.dedup()) {
        case TUPLE:
          return seen.add(identity(windowSeed, token));
        case WINDOW:
          return seen.add(windowSeed) && seen.add(identity(windowSeed, token));
        default:
          return true;
      }
    }

    /**
     * Scores one (window, token) tuple directly, as reading mode does with the window of the
     * input text and the suspect's prediction. Repeats are skipped as configured.
     *
     * @param windowSeed window seed
     * @param token predicted token
     * @return the tuple's score, or NaN if it was skipped as a repeat
     */
    public double addTuple(long windowSeed, int token) {
      read++;
      if (!isNew(windowSeed, token)) {
        repeats++;
        return Double.NaN;
      }
      double x = watermarker.score(windowSeed, token);
      score += x;
      scored++;
      return x;
    }

    /**
     * {@link #addTuple} of {@code n} tuples in order, with the same results, counts and pooled
     * score bit for bit (the first occurrence of a repeated tuple is the one scored); reading
     * mode's batched path. With exact tuple de-duplication ({@link Dedup#TUPLE}, the default) it
     * computes a chunk's identities first and then inserts them into the exact set touching
     * all their home slots first, as {@link #add} does, so that the cache misses of a chunk
     * overlap instead of each waiting for the one before it.
     *
     * @param windowSeeds window seeds, {@code windowSeeds[i]} for tuple i
     * @param tokens predicted tokens, {@code tokens[i]} for tuple i
     * @param n number of tuples, in [0, min(windowSeeds.length, tokens.length, out.length)]
     * @param out receives tuple i's score at index i, or NaN if it was skipped as a repeat
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public void addTuples(long[] windowSeeds, int[] tokens, int n, double[] out) {
      if (n < 0 || n > windowSeeds.length || n > tokens.length || n > out.length) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
            "n is not in [0, %d]: %d", Math.min(windowSeeds.length, Math.min(tokens.length, out.length)), n));
      }
      if (config.dedup() != Dedup.TUPLE) {
        for (int i = 0; i < n; i++) {
          out[i] = addTuple(windowSeeds[i], tokens[i]);
        }
        return;
      }
      // New or repeat is close to a coin toss (about 4 tuples in 10 are repeats on Zipf-like
      // text), so the scores are taken without a branch: every tuple's score is computed, and a
      // repeat's is masked to NaN for out and to +0.0 for the sum. Adding +0.0 leaves the sum bit
      // for bit as it was, since a sum that starts at +0.0 is never -0.0.
      double s = score;
      long k = 0;
      long[] ts = tupleSeeds;
      long[] id = ids;
      byte[] isNew = fresh;
      for (int c0 = 0; c0 < n; c0 += CHUNK) {
        int m = Math.min(n, c0 + CHUNK) - c0;
        // Scored below at the tuple seed, as in add.
        watermarker.tupleSeeds(windowSeeds, tokens, c0, m, ts);
        tupleIdentities(ts, tokens, c0, m, id);
        addAll(id, m, isNew);
        for (int j = 0; j < m; j++) {
          long keep = -(long) isNew[j]; // all ones if new, 0 if a repeat
          long x = Double.doubleToRawLongBits(watermarker.scoreAtTupleSeed(ts[j], tokens[c0 + j]));
          s += Double.longBitsToDouble(x & keep);
          out[c0 + j] = Double.longBitsToDouble(x & keep | NAN_BITS & ~keep);
          k -= keep;
        }
      }
      score = s;
      scored += k;
      repeats += n - k;
      read += n;
    }

    /** @return tuples scored so far */
    public long tuplesScored() {
      return scored;
    }

    /** @return summed score so far */
    public double score() {
      return score;
    }

    /**
     * The pooled result so far.
     *
     * @return counts, score and exact log10 p over every text added
     */
    public DetectionResult result() {
      return new DetectionResult(watermarker.keyId(), read, scored, repeats, prompt, other, score,
          nullModel.meanPerTuple(), nullModel.rateScale(), nullModel.log10P(scored, score));
    }
  }
}
