package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The green-list sampler's candidate step against its definition: the candidates biased by the
 * processor's {@code biasCandidates}, then sampled by the plain sampler, whose draw is the green
 * list's (same random stream). A guard for any faster form of the step (the bias fused with the
 * copy or the maximum, the window seed moved): every sampled token must stay the same, and bad
 * candidates must throw the plain sampler's message.
 */
class CandidateBiasPathTest {
  private static final int VOCAB = 3000;

  @Test
  void greenCandidateStepEqualsBiasThenPlainStep() {
    WatermarkSpec[] specs = {
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 1, WindowRule.ORDERED),
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 4, WindowRule.SELF_SEEDING),
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 1, WindowRule.SELF_SEEDING),
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 3, WindowRule.MIN_HASH),
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 0, WindowRule.ORDERED),
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 2, WindowRule.ORDERED).withGamma(0.5).withDelta(6.0),
    };
    SamplingConfig[] configs = {
        SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95),
        SamplingConfig.defaults(),
        SamplingConfig.defaults().withTemperature(1.3).withTopK(7).withTopP(0.9),
        SamplingConfig.defaults().withTemperature(0.5).withTopK(40),
    };
    float[] specials = {0.0f, -0.0f, Float.NEGATIVE_INFINITY, 2.0f, 2.0f, Float.MIN_VALUE};
    SplittableRandom r = new SplittableRandom(20261203L);
    for (int s = 0; s < specs.length; s++) {
      Watermarker wm = Watermarker.of(TestSupport.key(s), specs[s]);
      LogitsProcessor processor = wm.processor();
      for (SamplingConfig config : configs) {
        Sampler green = wm.sampler(config);
        Sampler plain = Sampler.plain(VOCAB, config);
        DecodeState gs = green.newState(TestSupport.rng(77 + s));
        DecodeState ps = plain.newState(TestSupport.rng(77 + s));
        int[] tokens = new int[12];
        for (int step = 0; step < 400; step++) {
          int k = 1 + r.nextInt(step % 5 == 0 ? 300 : 64);
          int[] ids = new int[k + r.nextInt(3)];
          float[] logits = new float[ids.length + r.nextInt(3)];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(step % 7 == 0 ? 40 : VOCAB); // repeated ids in some sets
          }
          for (int i = 0; i < logits.length; i++) {
            logits[i] = r.nextInt(10) == 0 ? specials[r.nextInt(specials.length)]
                : (float) (2.5 * r.nextGaussian() + (r.nextInt(8) == 0 ? 10 : 0));
          }
          logits[r.nextInt(k)] = 1.0f; // at least one finite logit
          for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(VOCAB);
          }
          int len = r.nextInt(tokens.length + 1);
          float[] before = logits.clone();
          int got = green.sampleCandidates(ids, logits, k, tokens, len, gs);
          assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(logits),
              "the caller's logits are not changed");
          float[] biased = logits.clone();
          processor.biasCandidates(ids, biased, k, tokens, len);
          int want = plain.sampleCandidates(ids, biased, k, tokens, len, ps);
          assertEquals(want, got, specs[s] + " " + config + " step " + step + " k " + k + " len " + len);
        }
      }
    }
  }

  @Test
  void badCandidatesThrowAsThePlainSampler() {
    Watermarker wm = Watermarker.of(TestSupport.key(3),
        TestSupport.spec(Scheme.GREEN_LIST, VOCAB, 1, WindowRule.ORDERED));
    SamplingConfig config = SamplingConfig.defaults();
    Sampler green = wm.sampler(config);
    Sampler plain = Sampler.plain(VOCAB, config);
    DecodeState gs = green.newState(TestSupport.rng(1));
    DecodeState ps = plain.newState(TestSupport.rng(1));
    int[] tokens = {5, 6, 7};
    int[][] idSets = {{1, 2, 3, 4}, {1, -2, 3, 4}, {1, 2, 3, VOCAB}, {1, 2, 3, 4}, {1, 2, VOCAB, 4}};
    float[][] logitSets = {{1, Float.NaN, 2, 3}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, Float.NaN},
        {Float.NaN, 2, 3, 4}};
    for (int c = 0; c < idSets.length; c++) {
      int[] ids = idSets[c];
      float[] logits = logitSets[c];
      String want = assertThrows(IllegalArgumentException.class,
          () -> plain.sampleCandidates(ids, logits, 4, tokens, 3, ps)).getMessage();
      String got = assertThrows(IllegalArgumentException.class,
          () -> green.sampleCandidates(ids, logits, 4, tokens, 3, gs)).getMessage();
      assertEquals(want, got, "case " + c);
    }
    float[] minusInf = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
    assertEquals(
        assertThrows(IllegalArgumentException.class,
            () -> plain.sampleCandidates(new int[] {1, 2}, minusInf, 2, tokens, 3, ps)).getMessage(),
        assertThrows(IllegalArgumentException.class,
            () -> green.sampleCandidates(new int[] {1, 2}, minusInf, 2, tokens, 3, gs)).getMessage());
  }
}
