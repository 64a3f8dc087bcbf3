package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.key.WatermarkKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every scheme and window rule meets, run over all of them. */
class SchemeContractTest {
  static final int V = 500;

  static Stream<Arguments> schemes() {
    List<Arguments> out = new ArrayList<>();
    for (Scheme s : Scheme.values()) {
      out.add(Arguments.of(s, 0, WindowRule.ORDERED));
      for (WindowRule r : WindowRule.values()) {
        out.add(Arguments.of(s, 1, r));
        out.add(Arguments.of(s, 4, r));
      }
    }
    return out.stream();
  }

  private static Watermarker wm(long keySeed, Scheme s, int h, WindowRule r) {
    return Watermarker.of(TestSupport.key(keySeed), TestSupport.spec(s, V, h, r));
  }

  @ParameterizedTest(name = "{0} h={1} {2}")
  @MethodSource("schemes")
  void scoresAreDeterministicAndKeyed(Scheme s, int h, WindowRule r) {
    Watermarker a = wm(1, s, h, r);
    Watermarker a2 = wm(1, s, h, r);
    Watermarker b = wm(2, s, h, r);
    UniformRandomProvider rng = TestSupport.rng(11);
    int[] tokens = new int[64];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(V);
    }
    int differ = 0;
    for (int t = Math.max(h, 1); t < tokens.length; t++) {
      long ws = a.windowSeed(tokens, t);
      assertEquals(ws, a2.windowSeed(tokens, t));
      assertEquals(a.tupleSeed(ws, tokens[t]), a2.tupleSeed(ws, tokens[t]));
      double sa = a.score(ws, tokens[t]);
      assertEquals(sa, a.score(ws, tokens[t]));
      // A tuple seed is its own tuple seed, and scores as its window (detectors score at it).
      long ts = a.tupleSeed(ws, tokens[t]);
      assertEquals(ts, a.tupleSeed(ts, tokens[t]));
      assertEquals(Double.doubleToRawLongBits(sa), Double.doubleToRawLongBits(a.score(ts, tokens[t])));
      assertEquals(sa, a2.score(ws, tokens[t]));
      if (Double.compare(sa, b.score(b.windowSeed(tokens, t), tokens[t])) != 0) {
        differ++;
      }
    }
    // Green-list scores are 0/1 and may agree by chance; 63 agreements in a row would be 2^-26-ish.
    assertTrue(differ >= 5, "different keys give different scores: " + differ + " of 63 differ");
    assertNotEquals(a.windowSeed(tokens, tokens.length), b.windowSeed(tokens, tokens.length));
  }

  /** Generates a sequence autoregressively from the test model. */
  private static int[] generate(Sampler sampler, long rngSeed, int len) {
    DecodeState st = sampler.newState(TestSupport.rng(rngSeed));
    int[] tokens = new int[len];
    float[] logits = new float[V];
    for (int t = 0; t < len; t++) {
      TestSupport.modelLogits(logits, tokens, t);
      tokens[t] = sampler.sample(logits, tokens, t, st);
    }
    return tokens;
  }

  @ParameterizedTest(name = "{0} h={1} {2}")
  @MethodSource("schemes")
  void parallelSamplingEqualsSequential(Scheme s, int h, WindowRule r) throws Exception {
    Sampler sampler = wm(3, s, h, r).sampler(SamplingConfig.defaults().withTopP(0.95));
    int threads = 4;
    int[][] expected = new int[threads][];
    for (int i = 0; i < threads; i++) {
      expected[i] = generate(sampler, 100 + i, 200);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<int[]>> fs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        long seed = 100 + i;
        fs.add(pool.submit(() -> generate(sampler, seed, 200)));
      }
      for (int i = 0; i < threads; i++) {
        assertArrayEquals(expected[i], fs.get(i).get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "{0} h={1} {2}")
  @MethodSource("schemes")
  void badInputIsRefusedWithAMessage(Scheme s, int h, WindowRule r) {
    Watermarker w = wm(4, s, h, r);
    Sampler sampler = w.sampler(SamplingConfig.defaults());
    DecodeState st = sampler.newState(TestSupport.rng(1));
    int[] ctx = {1, 2, 3, 4, 5};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sampler.sample(new float[V + 1], ctx, 5, st));
    assertTrue(e.getMessage().contains("" + (V + 1)) && e.getMessage().contains("" + V), e.getMessage());
    float[] nan = new float[V];
    nan[123] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> sampler.sample(nan, ctx, 5, st));
    assertTrue(e.getMessage().contains("[123]") && e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> sampler.sampleCandidates(new int[] {3, V}, new float[] {0f, 1f}, 2, ctx, 5, st));
    assertTrue(e.getMessage().contains("ids[1]") && e.getMessage().contains("" + V), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> sampler.sampleCandidates(new int[] {-1, 2}, new float[] {0f, 1f}, 2, ctx, 5, st));
    assertTrue(e.getMessage().contains("ids[0]") && e.getMessage().contains("-1"), e.getMessage());
    if (s == Scheme.GREEN_LIST) {
      LogitsProcessor p = w.processor();
      e = assertThrows(IllegalArgumentException.class, () -> p.bias(new float[V - 1], ctx, 5));
      assertTrue(e.getMessage().contains("" + (V - 1)) && e.getMessage().contains("" + V), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> p.biasCandidates(new int[] {V + 7}, new float[1], 1, ctx, 5));
      assertTrue(e.getMessage().contains("" + (V + 7)), e.getMessage());
    } else {
      assertThrows(UnsupportedOperationException.class, w::processor);
    }
  }

  @ParameterizedTest(name = "{0} h={1} {2}")
  @MethodSource("schemes")
  void shortContextsAreNotWatermarked(Scheme s, int h, WindowRule r) {
    if (h == 0) {
      return;
    }
    Watermarker w = wm(5, s, h, r);
    Sampler marked = w.sampler(SamplingConfig.defaults());
    Sampler plain = Sampler.plain(V, SamplingConfig.defaults());
    DecodeState a = marked.newState(TestSupport.rng(9));
    DecodeState b = plain.newState(TestSupport.rng(9));
    float[] logits = new float[V];
    int[] ctx = {7, 8, 9, 10};
    for (int i = 0; i < 300; i++) {
      int len = i % h;
      TestSupport.modelLogits(logits, ctx, len);
      assertEquals(plain.sample(logits, ctx, len, b), marked.sample(logits, ctx, len, a));
    }
    assertThrows(IllegalArgumentException.class, () -> w.windowSeed(ctx, h - 1));
    if (s == Scheme.GREEN_LIST) {
      float[] row = logits.clone();
      w.processor().bias(row, ctx, h - 1);
      assertArrayEquals(logits, row);
    }
  }

  @ParameterizedTest(name = "{0} h={1} {2}")
  @MethodSource("schemes")
  void sampleLeavesLogitsAloneAndCandidatesWin(Scheme s, int h, WindowRule r) {
    Sampler sampler = wm(6, s, h, r).sampler(SamplingConfig.defaults().withTopK(40));
    DecodeState st = sampler.newState(TestSupport.rng(2));
    UniformRandomProvider rng = TestSupport.rng(3);
    float[] logits = new float[V];
    int[] ctx = new int[8];
    for (int i = 0; i < 200; i++) {
      for (int j = 0; j < ctx.length; j++) {
        ctx[j] = rng.nextInt(V);
      }
      TestSupport.modelLogits(logits, ctx, ctx.length);
      float[] copy = logits.clone();
      int tok = sampler.sample(logits, ctx, ctx.length, st);
      assertTrue(tok >= 0 && tok < V);
      assertArrayEquals(copy, logits);
      int[] ids = {rng.nextInt(V), rng.nextInt(V), rng.nextInt(V), rng.nextInt(V)};
      float[] vals = {rng.nextFloat(), rng.nextFloat(), Float.NEGATIVE_INFINITY, rng.nextFloat()};
      float[] valsCopy = vals.clone();
      int c = sampler.sampleCandidates(ids, vals, 4, ctx, ctx.length, st);
      assertTrue(c == ids[0] || c == ids[1] || c == ids[3], "candidate " + c);
      assertArrayEquals(valsCopy, vals);
    }
  }

  @ParameterizedTest(name = "{0} h={1} {2}")
  @MethodSource("schemes")
  void batchEqualsRows(Scheme s, int h, WindowRule r) {
    Sampler sampler = wm(7, s, h, r).sampler(SamplingConfig.defaults());
    int batch = 3;
    float[] all = new float[batch * V];
    int[][] ctx = {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}};
    int[] lens = {5, 5, 5};
    DecodeState[] a = new DecodeState[batch];
    DecodeState[] b = new DecodeState[batch];
    int[] out = new int[batch];
    for (int i = 0; i < batch; i++) {
      a[i] = sampler.newState(TestSupport.rng(i));
      b[i] = sampler.newState(TestSupport.rng(i));
      float[] row = new float[V];
      TestSupport.modelLogits(row, ctx[i], 5);
      System.arraycopy(row, 0, all, i * V, V);
    }
    sampler.sampleBatch(all, batch, ctx, lens, a, out);
    for (int i = 0; i < batch; i++) {
      float[] row = java.util.Arrays.copyOfRange(all, i * V, (i + 1) * V);
      assertEquals(sampler.sample(row, ctx[i], 5, b[i]), out[i]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(Scheme.class)
  void specParametersOutOfRangeAreRefused(Scheme s) {
    WatermarkSpec ok = WatermarkSpec.defaults(s, "tok", 100);
    assertMessage("gamma is not in (0, 1): 1.5", () -> ok.withGamma(1.5));
    assertMessage("gamma is not in (0, 1): 0.0", () -> ok.withGamma(0));
    assertMessage("gamma is not in (0, 1): NaN", () -> ok.withGamma(Double.NaN));
    assertMessage("delta is not in [0, 50]: -1.0", () -> ok.withDelta(-1));
    assertMessage("layers is not in [1, 64]: 65", () -> ok.withLayers(65));
    assertMessage("layers is not in [1, 64]: 0", () -> ok.withLayers(0));
    assertMessage("contextWidth is not in [0, 8]: 9", () -> ok.withContextWidth(9));
    assertMessage("contextWidth is not in [1, 8] for window rule min-hash: 0",
        () -> ok.withContextWidth(0).withWindowRule(WindowRule.MIN_HASH));
    assertMessage("vocabSize is not in [2, 2147483647]: 1", () -> ok.withTokenizer("t", 1));
    assertMessage("tokenizer name is empty", () -> ok.withTokenizer(" ", 10));
    assertMessage("version is not supported: 2",
        () -> new WatermarkSpec(s, 2, "t", 10, 1, WindowRule.ORDERED, 0.25, 2, 30));
    assertMessage("logits row has 99 entries but the tok vocabulary has 100", () -> ok.requireVocabulary(99));
  }

  @org.junit.jupiter.api.Test
  void samplingParametersOutOfRangeAreRefused() {
    SamplingConfig c = SamplingConfig.defaults();
    assertMessage("temperature is not in (0, 100]: 0.0", () -> c.withTemperature(0));
    assertMessage("temperature is not in (0, 100]: 101.0", () -> c.withTemperature(101));
    assertMessage("topK is not in [0, 2147483647]: -1", () -> c.withTopK(-1));
    assertMessage("topP is not in (0, 1]: 1.5", () -> c.withTopP(1.5));
    assertMessage("topP is not in (0, 1]: 0.0", () -> c.withTopP(0));
    assertMessage("margin is not in [10, 200]: 5.0", () -> c.withMargin(5));
    assertMessage("vocabSize is not in [2, 2147483647]: 1", () -> Sampler.plain(1, c));
  }

  static void assertMessage(String part, org.junit.jupiter.api.function.Executable x) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, x);
    assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
  }

  @org.junit.jupiter.api.Test
  void keyOfTheWatermarkerIsOnlyItsId() {
    WatermarkKey k = TestSupport.key(77);
    Watermarker w = Watermarker.of(k, WatermarkSpec.greenList("tok", 100));
    assertEquals("test-77", w.keyId());
    assertTrue(w.toString().contains("test-77"));
  }
}
