package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link Watermarker#tupleSeeds}, {@link Watermarker#windowSeeds},
 * {@link Watermarker#scoreAtTupleSeed} and {@link Watermarker#scoresAtTupleSeeds} against their
 * definitions ({@link Watermarker#windowSeed}, {@link Watermarker#tupleSeed},
 * {@link Watermarker#score}, one position at a time): every scheme, window rule and h, runs of
 * random lengths and offsets, on a fresh watermarker asked for more windows than its vocabulary
 * has tokens, so that h = 1 switches to its table of unigram seeds part way, and on a
 * watermarker that keeps the interface's default methods. Bit for bit. Deterministic (fixed
 * seeds).
 */
class TupleSeedsTest {
  @Test
  void bulkSeedsAndScoresEqualTheDefinitions() {
    UniformRandomProvider rnd = TestSupport.rng(0x7091e5L);
    for (Scheme scheme : Scheme.values()) {
      for (WindowRule rule : WindowRule.values()) {
        for (int h : new int[] {0, 1, 2, 3, 4, 7}) {
          if (h == 0 && rule != WindowRule.ORDERED) {
            continue;
          }
          int vocab = 50 + rnd.nextInt(300);
          Watermarker real = Watermarker.of(TestSupport.key(62), TestSupport.spec(scheme, vocab, h, rule));
          // The interface's default methods, on a watermarker that overrides none of them.
          check(real, rnd, vocab, h);
          check(new Plain(real), rnd, vocab, h);
        }
      }
    }
  }

  private static void check(Watermarker w, UniformRandomProvider rnd, int vocab, int h) {
    int asked = 0;
    while (asked < 3 * vocab) {
      int len = h + rnd.nextInt(80);
      int[] tokens = new int[len];
      for (int i = 0; i < len; i++) {
        tokens[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(vocab) : rnd.nextInt(8);
      }
      int from = h + rnd.nextInt(len - h + 1);
      int to = from + rnd.nextInt(len - from + 1);
      int off = rnd.nextInt(3);
      long[] windows = new long[off + to - from + 2];
      long[] tuples = new long[windows.length];
      w.windowSeeds(tokens, from, to, windows, off);
      w.tupleSeeds(tokens, from, to, tuples, off);
      int[] toks = new int[windows.length];
      long[] pairTuples = new long[to - from];
      for (int e = from; e < to; e++) {
        toks[off + e - from] = tokens[e];
      }
      w.tupleSeeds(windows, toks, off, to - from, pairTuples);
      int[] pairTokens = Arrays.copyOfRange(toks, off, off + to - from);
      double[] scores = new double[to - from + 1];
      w.scoresAtTupleSeeds(pairTuples, pairTokens, to - from, scores);
      for (int e = from; e < to; e++) {
        long ws = w.windowSeed(tokens, e);
        long ts = w.tupleSeed(ws, tokens[e]);
        assertEquals(ws, windows[off + e - from], w.spec().describe());
        assertEquals(ts, tuples[off + e - from], w.spec().describe());
        assertEquals(ts, pairTuples[e - from], w.spec().describe());
        double want = w.score(ws, tokens[e]);
        assertEquals(Double.doubleToRawLongBits(want),
            Double.doubleToRawLongBits(w.scoreAtTupleSeed(ts, tokens[e])), w.spec().describe());
        assertEquals(Double.doubleToRawLongBits(want),
            Double.doubleToRawLongBits(scores[e - from]), w.spec().describe());
        // Any token at the tuple seed of this window, as reading mode scores predictions.
        int x = rnd.nextInt(vocab);
        long tx = w.tupleSeed(ws, x);
        assertEquals(Double.doubleToRawLongBits(w.score(ws, x)),
            Double.doubleToRawLongBits(w.scoreAtTupleSeed(tx, x)), w.spec().describe());
      }
      asked += to - from;
    }
  }

  /** A watermarker with only the abstract methods, delegated: the defaults do the rest. */
  private static final class Plain implements Watermarker {
    private final Watermarker w;

    Plain(Watermarker w) {
      this.w = w;
    }

    @Override
    public WatermarkSpec spec() {
      return w.spec();
    }

    @Override
    public String keyId() {
      return w.keyId();
    }

    @Override
    public String keyFingerprint() {
      return w.keyFingerprint();
    }

    @Override
    public LogitsProcessor processor() {
      return w.processor();
    }

    @Override
    public Sampler sampler(SamplingConfig config) {
      return w.sampler(config);
    }

    @Override
    public long windowSeed(int[] tokens, int end) {
      return w.windowSeed(tokens, end);
    }

    @Override
    public long tupleSeed(long windowSeed, int token) {
      return w.tupleSeed(windowSeed, token);
    }

    @Override
    public double score(long windowSeed, int token) {
      return w.score(windowSeed, token);
    }
  }

  @Test
  void unigramTableHashesIdsOutsideTheVocabulary() {
    Watermarker w = Watermarker.of(TestSupport.key(62),
        TestSupport.spec(Scheme.GREEN_LIST, 100, 1, WindowRule.ORDERED));
    int[] tokens = new int[301];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = i % 3 == 0 ? i * 7 % 100 : i % 3 == 1 ? 100 + i : -i;
    }
    long[] out = new long[300];
    for (int round = 0; round < 2; round++) { // the table exists from the second round on
      w.windowSeeds(tokens, 1, 301, out, 0);
      for (int e = 1; e < 301; e++) {
        assertEquals(w.windowSeed(tokens, e), out[e - 1]);
      }
    }
  }

  @Test
  void bulkSeedsRejectBadRanges() {
    Watermarker w = Watermarker.of(TestSupport.key(62),
        TestSupport.spec(Scheme.GREEN_LIST, 100, 2, WindowRule.SELF_SEEDING));
    int[] tokens = {1, 2, 3, 4, 5};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> w.tupleSeeds(tokens, 1, 4, new long[8], 0));
    assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("[1, 4)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> w.tupleSeeds(tokens, 2, 5, new long[4], 2));
    assertTrue(e.getMessage().contains("off is not in [0, 1]: 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> w.tupleSeeds(new long[4], new int[4], 1, 4, new long[8]));
    assertTrue(e.getMessage().contains("n is not in [0, 3]: 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> w.tupleSeeds(new long[4], new int[4], 5, 0, new long[8]));
    assertTrue(e.getMessage().contains("from is not in [0, 4]: 5"), e.getMessage());
    long[] out = new long[3];
    w.tupleSeeds(new long[4], new int[4], 4, 0, out);
    assertArrayEquals(new long[3], out);
  }
}
