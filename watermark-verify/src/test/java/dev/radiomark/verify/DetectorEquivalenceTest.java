package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link Detector.Tape#add} against a straightforward reference written from the rules in
 * {@link Detector}'s documentation: one {@link Watermarker#windowSeed} per position, a
 * {@link HashSet} as the tape, the score summed in position order. Random texts over small
 * vocabularies (many repeated windows and tuples), prompts, special tokens, window filters,
 * every de-duplication mode, ordered / min-hash / self-seeding windows with h = 0, 1, 2, 4, all
 * three schemes; enough tokens per watermarker that the detector's bulk window seeds switch to
 * their per-token tables part way. Counts, scores, p-values and per-token scores must be equal
 * bit for bit. Deterministic (fixed seeds), so it cannot fail by chance.
 */
class DetectorEquivalenceTest {
  private static final int[] NO_SPECIALS = new int[0];

  @Test
  void tapeEqualsStraightforwardReference() {
    SplittableRandom rnd = new SplittableRandom(0x5eed_e901L);
    WatermarkKey key = WatermarkKey.of("equivalence", bytes(rnd, 32));
    int cases = 0;
    for (Scheme scheme : Scheme.values()) {
      for (WindowRule rule : WindowRule.values()) {
        for (int h : new int[] {0, 1, 2, 4}) {
          if (h == 0 && rule != WindowRule.ORDERED) {
            continue;
          }
          int vocab = 40 + rnd.nextInt(200);
          WatermarkSpec spec = WatermarkSpec.defaults(scheme, "test", vocab).withContextWidth(h)
              .withWindowRule(rule);
          for (Dedup dedup : Dedup.values()) {
            for (boolean excludePrompt : new boolean[] {true, false}) {
              int[] specials = rnd.nextBoolean() ? NO_SPECIALS : new int[] {0, 1 + rnd.nextInt(5)};
              DetectorConfig config = DetectorConfig.defaults().withDedup(dedup)
                  .withExcludePromptWindows(excludePrompt).withSpecialTokens(specials);
              // A fresh watermarker, so that its first windows are hashed and later ones read
              // the per-token tables.
              Watermarker wm = Watermarker.of(key, spec);
              check(Detector.of(wm, config), rnd, vocab);
              cases++;
            }
          }
        }
      }
    }
    assertEquals(Scheme.values().length * (1 + 3 * WindowRule.values().length) * Dedup.values().length * 2,
        cases);
  }

  /**
   * {@link Detector.Tape#addTuples} (reading mode's batched insertion) against
   * {@link Detector.Tape#addTuple} one tuple at a time: random window seeds (from random texts,
   * so windows repeat) and predicted tokens over small vocabularies, batches of random sizes
   * from 0 to 700 (crossing the 256-tuple chunks), every scheme, window rule, h and
   * de-duplication mode, on the exact tape, a presized exact tape and a bounded one. Per-tuple
   * scores, counts and the pooled score must be equal bit for bit. Deterministic (fixed seed).
   */
  @Test
  void batchedTuplesEqualOneAtATime() {
    SplittableRandom rnd = new SplittableRandom(0x5eed_e902L);
    WatermarkKey key = WatermarkKey.of("equivalence", bytes(rnd, 32));
    int cases = 0;
    for (Scheme scheme : Scheme.values()) {
      for (WindowRule rule : WindowRule.values()) {
        for (int h : new int[] {0, 1, 2, 4}) {
          if (h == 0 && rule != WindowRule.ORDERED) {
            continue;
          }
          int vocab = 40 + rnd.nextInt(200);
          Watermarker wm = Watermarker.of(key,
              WatermarkSpec.defaults(scheme, "test", vocab).withContextWidth(h).withWindowRule(rule));
          for (Dedup dedup : Dedup.values()) {
            Detector d = Detector.of(wm, DetectorConfig.defaults().withDedup(dedup));
            int set = rnd.nextInt(3);
            Detector.Tape one = d.newTape(seenSet(set));
            Detector.Tape batched = d.newTape(seenSet(set));
            for (int b = 0; b < 12; b++) {
              int n = rnd.nextInt(5) == 0 ? rnd.nextInt(3) : rnd.nextInt(700);
              int[] text = tokens(rnd, vocab, n + h);
              long[] windows = new long[n];
              int[] predicted = new int[n];
              for (int i = 0; i < n; i++) {
                windows[i] = wm.windowSeed(text, i + h);
                predicted[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(vocab) : rnd.nextInt(Math.min(vocab, 12));
              }
              double[] want = new double[n];
              for (int i = 0; i < n; i++) {
                want[i] = one.addTuple(windows[i], predicted[i]);
              }
              double[] got = new double[n + rnd.nextInt(3)];
              batched.addTuples(windows, predicted, n, got);
              assertArrayEquals(want, Arrays.copyOf(got, n), () -> wm.spec().describe() + " " + d.config());
              assertEquals(one.result(), batched.result(), () -> wm.spec().describe() + " " + d.config());
            }
            cases++;
          }
        }
      }
    }
    assertEquals(Scheme.values().length * (1 + 3 * WindowRule.values().length) * Dedup.values().length, cases);
  }

  /**
   * The unprompted path of {@link Detector.Tape#add} (no prompt, no window filter, no special
   * tokens, tuple de-duplication: one tuple-seed call per run of positions) against the general
   * path on the same texts, forced by a window filter that accepts every window: every scheme,
   * window rule and h (the tournament always takes the general path), texts shorter than h,
   * longer than a chunk and with many repeats, on the exact tape, a presized exact tape and a
   * bounded one, with and without per-token scores. Per-text results, per-token scores and the
   * pooled result must be equal bit for bit. Deterministic (fixed seed).
   */
  @Test
  void unpromptedPathEqualsGeneralPath() {
    SplittableRandom rnd = new SplittableRandom(0x5eed_e903L);
    WatermarkKey key = WatermarkKey.of("equivalence", bytes(rnd, 32));
    int cases = 0;
    for (Scheme scheme : Scheme.values()) {
      for (WindowRule rule : WindowRule.values()) {
        for (int h : new int[] {0, 1, 2, 4}) {
          if (h == 0 && rule != WindowRule.ORDERED) {
            continue;
          }
          int vocab = 40 + rnd.nextInt(200);
          // A fresh watermarker per case, so that its per-token tables are built part way.
          Watermarker wm = Watermarker.of(key,
              WatermarkSpec.defaults(scheme, "test", vocab).withContextWidth(h).withWindowRule(rule));
          Detector d = Detector.of(wm, DetectorConfig.defaults().withExcludePromptWindows(rnd.nextBoolean()));
          int set = rnd.nextInt(3);
          Detector.Tape fast = d.newTape(seenSet(set));
          Detector.Tape general = d.newTape(seenSet(set));
          for (int i = 0; i < 2 + vocab / 10; i++) {
            int[] text = tokens(rnd, vocab, rnd.nextInt(5) == 0 ? rnd.nextInt(h + 2) : rnd.nextInt(900));
            boolean withScores = rnd.nextInt(4) != 0;
            double[] got = withScores ? new double[text.length + rnd.nextInt(3)] : null;
            double[] want = withScores ? new double[got.length] : null;
            DetectionResult g = fast.add(new int[0], text, null, got);
            DetectionResult w = general.add(new int[0], text, ws -> true, want);
            assertEquals(w, g, () -> wm.spec().describe());
            assertArrayEquals(want, got, () -> wm.spec().describe());
          }
          assertEquals(general.result(), fast.result(), () -> wm.spec().describe());
          cases++;
        }
      }
    }
    assertEquals(Scheme.values().length * (1 + 3 * WindowRule.values().length), cases);
  }

  /**
   * {@link Detector#tupleIdentities} (three vectorisable loops) against
   * {@link Detector#tupleIdentity} one tuple at a time: random seeds, ids from a small vocabulary
   * and from the whole int range, runs of 0 to 300 tuples at offsets into the tokens; the slots
   * past the run are left alone. Deterministic (fixed seed).
   */
  @Test
  void tupleIdentitiesEqualOneAtATime() {
    SplittableRandom rnd = new SplittableRandom(0x5eed_e904L);
    for (int trial = 0; trial < 300; trial++) {
      int m = trial < 20 ? trial : rnd.nextInt(301);
      int at = rnd.nextInt(5);
      long[] seeds = new long[m + rnd.nextInt(3)];
      int[] tokens = new int[at + m + rnd.nextInt(3)];
      for (int i = 0; i < seeds.length; i++) {
        seeds[i] = rnd.nextLong();
      }
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = trial % 2 == 0 ? rnd.nextInt(300) : rnd.nextInt();
      }
      long[] id = new long[m + 2];
      Arrays.fill(id, 0x5a5aL);
      Detector.tupleIdentities(seeds, tokens, at, m, id);
      for (int j = 0; j < id.length; j++) {
        long want = j < m ? Detector.tupleIdentity(seeds[j], tokens[at + j]) : 0x5a5aL;
        assertEquals(want, id[j], "trial " + trial + " slot " + j);
      }
    }
  }

  private static SeenSet seenSet(int kind) {
    return kind == 0 ? SeenSet.exact() : kind == 1 ? SeenSet.exact(5_000) : SeenSet.bounded(2_000, 0.05);
  }

  @Test
  void batchedTuplesRejectBadCount() {
    Detector d = Detector.of(Watermarker.of(WatermarkKey.of("equivalence", new byte[32]),
        WatermarkSpec.defaults(Scheme.GREEN_LIST, "test", 50)));
    Detector.Tape tape = d.newTape();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tape.addTuples(new long[4], new int[4], 5, new double[4]));
    assertTrue(e.getMessage().contains("[0, 4]") && e.getMessage().contains("5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> tape.addTuples(new long[4], new int[4], -1, new double[4]));
  }

  private static void check(Detector d, SplittableRandom rnd, int vocab) {
    Detector.Tape tape = d.newTape();
    Reference ref = new Reference(d);
    LongPredicate filter = rnd.nextBoolean() ? null : ws -> (ws & 3) != 0;
    int texts = 2 + vocab * 2 / 50;
    for (int i = 0; i < texts; i++) {
      int[] prompt = tokens(rnd, vocab, rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(12));
      // Long enough texts that chunks of the detector are crossed (positions per chunk: 256).
      int[] text = tokens(rnd, vocab, rnd.nextInt(4) == 0 ? rnd.nextInt(6) : rnd.nextInt(700));
      double[] got = new double[text.length];
      double[] want = new double[text.length];
      DetectionResult g = tape.add(prompt, text, filter, got);
      DetectionResult w = ref.add(prompt, text, filter, want);
      assertEquals(w, g, () -> d.watermarker().spec().describe() + " " + d.config());
      assertArrayEquals(want, got, () -> d.watermarker().spec().describe() + " " + d.config());
    }
    assertEquals(ref.result(), tape.result());
  }

  /** Tokens drawn mostly from a few frequent ids, so windows and tuples repeat. */
  private static int[] tokens(SplittableRandom rnd, int vocab, int n) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(vocab) : rnd.nextInt(Math.min(vocab, 12));
    }
    return t;
  }

  private static byte[] bytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  /** The rules of {@link Detector}, one position at a time. */
  private static final class Reference {
    final Detector d;
    final Watermarker wm;
    final int h;
    final Set<Long> seen = new HashSet<>();
    long read;
    long scored;
    long repeats;
    long prompt;
    long other;
    double score;

    Reference(Detector d) {
      this.d = d;
      this.wm = d.watermarker();
      this.h = wm.spec().contextWidth();
    }

    DetectionResult add(int[] promptTokens, int[] text, LongPredicate filter, double[] scores) {
      int p = promptTokens.length;
      int[] stream = new int[p + text.length];
      System.arraycopy(promptTokens, 0, stream, 0, p);
      System.arraycopy(text, 0, stream, p, text.length);
      DetectorConfig c = d.config();
      Set<Long> promptWindows = new HashSet<>();
      Set<Long> promptTuples = new HashSet<>();
      Set<Integer> lead = new HashSet<>();
      if (c.excludePromptWindows()) {
        if (h > 0) {
          for (int e = h; e <= p; e++) {
            promptWindows.add(wm.windowSeed(stream, e));
          }
        }
        if (d.tupleSeedMayDifferFromWindow()) {
          for (int e = h; e < p; e++) {
            promptTuples.add(d.identity(wm.windowSeed(stream, e), stream[e]));
          }
        }
        for (int i = 0; i < Math.min(h, p); i++) {
          lead.add(promptTokens[i]);
        }
      }
      Set<Long> textWindows = new HashSet<>();
      boolean firstWindowOnly = wm.spec().scheme() == Scheme.TOURNAMENT;
      Set<Integer> special = new HashSet<>();
      for (int x : c.specialTokens()) {
        special.add(x);
      }
      long n = 0;
      long rep = 0;
      long pr = 0;
      long oth = 0;
      double s = 0;
      for (int i = 0; i < text.length; i++) {
        int t = p + i;
        int token = stream[t];
        double x = Double.NaN;
        if (t < h || special.contains(token)) {
          oth++;
        } else {
          long ws = wm.windowSeed(stream, t);
          long id = d.identity(ws, token);
          if (promptWindows.contains(ws) || promptTuples.contains(id) || lead.contains(token)) {
            pr++;
          } else if (firstWindowOnly && !textWindows.add(ws)) {
            oth++;
          } else if (filter != null && !filter.test(ws)) {
            oth++;
          } else {
            boolean fresh;
            switch (c.dedup()) {
              case TUPLE:
                fresh = seen.add(id);
                break;
              case WINDOW:
                fresh = seen.add(ws) && seen.add(id);
                break;
              default:
                fresh = true;
            }
            if (!fresh) {
              rep++;
            } else {
              x = wm.score(ws, token);
              s += x;
              n++;
            }
          }
        }
        scores[i] = x;
      }
      read += text.length;
      scored += n;
      repeats += rep;
      prompt += pr;
      other += oth;
      score += s;
      NullModel nm = d.nullModel();
      return new DetectionResult(wm.keyId(), text.length, n, rep, pr, oth, s, nm.meanPerTuple(),
          nm.rateScale(), nm.log10P(n, s));
    }

    DetectionResult result() {
      NullModel nm = d.nullModel();
      return new DetectionResult(wm.keyId(), read, scored, repeats, prompt, other, score,
          nm.meanPerTuple(), nm.rateScale(), nm.log10P(scored, score));
    }
  }
}
