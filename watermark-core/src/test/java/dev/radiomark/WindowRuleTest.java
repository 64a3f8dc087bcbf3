package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.prf.KeyedPrf;
import org.junit.jupiter.api.Test;

/** Window seeds and tuple seeds of each window rule, as documented. */
class WindowRuleTest {
  static final int V = 1000;

  private static Watermarker wm(Scheme s, int h, WindowRule r) {
    return Watermarker.of(TestSupport.key(61), TestSupport.spec(s, V, h, r));
  }

  @Test
  void orderedSeedIsSipHashOfTheWindowAndOrderMatters() {
    Watermarker w = wm(Scheme.GREEN_LIST, 3, WindowRule.ORDERED);
    KeyedPrf prf = TestSupport.key(61).prf(Scheme.GREEN_LIST.domain());
    int[] a = {5, 1, 2, 3};
    int[] b = {9, 3, 2, 1};
    assertEquals(prf.orderedSeed(a, 1, 4), w.windowSeed(a, 4));
    assertNotEquals(w.windowSeed(a, 4), w.windowSeed(b, 4));
    // Only the last h tokens count.
    assertEquals(w.windowSeed(a, 4), w.windowSeed(new int[] {77, 1, 2, 3}, 4));
    assertEquals(w.windowSeed(a, 4), w.tupleSeed(w.windowSeed(a, 4), 17));
  }

  @Test
  void widthZeroIsOneFixedList() {
    Watermarker w = wm(Scheme.GREEN_LIST, 0, WindowRule.ORDERED);
    KeyedPrf prf = TestSupport.key(61).prf(Scheme.GREEN_LIST.domain());
    long fixed = prf.orderedSeed(new int[0], 0, 0);
    assertEquals(fixed, w.windowSeed(new int[] {1, 2, 3}, 3));
    assertEquals(fixed, w.windowSeed(new int[] {4}, 0));
    for (int t = 0; t < V; t++) {
      assertEquals(w.score(fixed, t), w.score(w.windowSeed(new int[] {t}, 1), t));
    }
  }

  @Test
  void minHashIsOrderFreeAndTheSmallestTokenHash() {
    Watermarker w = wm(Scheme.GUMBEL, 4, WindowRule.MIN_HASH);
    KeyedPrf prf = TestSupport.key(61).prf(Scheme.GUMBEL.domain());
    int[] a = {1, 2, 3, 4};
    int[] b = {4, 3, 2, 1};
    assertEquals(w.windowSeed(a, 4), w.windowSeed(b, 4));
    long min = -1L;
    for (int t : a) {
      long h = prf.tokenHash(t);
      if (Long.compareUnsigned(h, min) < 0) {
        min = h;
      }
    }
    assertEquals(min, w.windowSeed(a, 4));
    // Replacing a token that is not the minimum keeps the seed (edit robustness).
    int argmin = 0;
    for (int i = 0; i < 4; i++) {
      if (prf.tokenHash(a[i]) == min) {
        argmin = i;
      }
    }
    int[] edited = a.clone();
    edited[(argmin + 1) % 4] = 999;
    if (Long.compareUnsigned(prf.tokenHash(999), min) > 0) {
      assertEquals(w.windowSeed(a, 4), w.windowSeed(edited, 4));
    }
    assertEquals(w.windowSeed(a, 4), w.tupleSeed(w.windowSeed(a, 4), 5));
  }

  @Test
  void selfSeedingTupleSeedIsTheMinimumWithTheCandidate() {
    for (Scheme s : Scheme.values()) {
      Watermarker w = wm(s, 2, WindowRule.SELF_SEEDING);
      Watermarker minHash = wm(s, 2, WindowRule.MIN_HASH);
      Watermarker ordered = wm(s, 2, WindowRule.ORDERED);
      KeyedPrf prf = TestSupport.key(61).prf(s.domain());
      int[] ctx = {10, 20};
      long ws = w.windowSeed(ctx, 2);
      assertEquals(minHash.windowSeed(ctx, 2), ws);
      int below = 0;
      for (int v = 0; v < V; v++) {
        long th = prf.tokenHash(v);
        long expected = Long.compareUnsigned(th, ws) < 0 ? th : ws;
        assertEquals(expected, w.tupleSeed(ws, v));
        // The score is the ordered-rule score at the tuple seed.
        assertEquals(ordered.score(expected, v), w.score(ws, v));
        if (expected != ws) {
          below++;
          // A candidate whose hash is the minimum scores the same after every window whose
          // min-hash is larger: it is one tuple, de-duplicated on (tupleSeed, token).
          long other = w.windowSeed(new int[] {v, v}, 2);
          assertEquals(th, other);
          assertEquals(w.score(ws, v), w.score(other, v));
        }
      }
      assertTrue(below > 0, "some candidate hash below the window min-hash");
    }
  }

  @Test
  void schemesUseIndependentDomains() {
    int[] ctx = {1, 2, 3, 4};
    long g = wm(Scheme.GREEN_LIST, 4, WindowRule.ORDERED).windowSeed(ctx, 4);
    long u = wm(Scheme.GUMBEL, 4, WindowRule.ORDERED).windowSeed(ctx, 4);
    long t = wm(Scheme.TOURNAMENT, 4, WindowRule.ORDERED).windowSeed(ctx, 4);
    assertNotEquals(g, u);
    assertNotEquals(u, t);
    assertNotEquals(g, t);
  }
  @Test
  void windowSeedsEqualWindowSeedOneAtATime() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(0x5eed_0061L);
    for (WindowRule r : WindowRule.values()) {
      for (int h = r == WindowRule.ORDERED ? 0 : 1; h <= 5; h++) {
        Watermarker w = wm(Scheme.GREEN_LIST, h, r);
        int[] tokens = new int[h + 40];
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = rnd.nextInt(i % 4 == 0 ? 3 : V);
        }
        for (int from = h; from <= tokens.length; from += 1 + from % 3) {
          for (int to = from; to <= tokens.length; to += 1 + to % 5) {
            long[] out = new long[to - from + 2];
            w.windowSeeds(tokens, from, to, out, 1);
            assertEquals(0L, out[0]);
            assertEquals(0L, out[out.length - 1]);
            for (int e = from; e < to; e++) {
              assertEquals(w.windowSeed(tokens, e), out[1 + e - from], r + " h " + h + " end " + e);
            }
          }
        }
      }
    }
  }

  @Test
  void windowSeedsRejectRangesThatNameTheirBounds() {
    Watermarker w = wm(Scheme.GREEN_LIST, 2, WindowRule.ORDERED);
    int[] tokens = {1, 2, 3, 4};
    long[] out = new long[4];
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> w.windowSeeds(tokens, 1, 3, out, 0));
    assertEquals("[from, to) is not within [2, 4]: [1, 3)", e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> w.windowSeeds(tokens, 2, 5, out, 0));
    assertEquals("[from, to) is not within [2, 4]: [2, 5)", e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> w.windowSeeds(tokens, 2, 4, out, 3));
    assertEquals("off is not in [0, 2]: 3", e.getMessage());
  }
}
