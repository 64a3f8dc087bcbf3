package dev.radiomark.examples.evaluate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.examples.TestKeys;
import dev.radiomark.examples.lm.Corpus;
import dev.radiomark.examples.lm.LanguageModel;
import dev.radiomark.examples.lm.Models;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/**
 * The stealing attacker learns something real: the (context, token) pairs it takes for green
 * are green far more often than gamma, and scrubbing lowers the green rate of fresh answers.
 */
class ThiefTest {
  @Test
  void stolenGreenListsBeatChanceAndScrubbingLowersTheGreenRate() {
    Corpus corpus = Corpus.kjv();
    LanguageModel teacher = Models.kneserNey(3, corpus.tokens(Corpus.Part.TEACHER), Corpus.O200K_VOCAB_SIZE);
    LanguageModel attacker = Models.kneserNey(2, corpus.tokens(Corpus.Part.HELD_OUT), Corpus.O200K_VOCAB_SIZE);
    WatermarkSpec spec = WatermarkSpec.greenList("o200k_base", Corpus.O200K_VOCAB_SIZE).withContextWidth(1).withDelta(2);
    Watermarker wm = Watermarker.of(TestKeys.key("thief", 1), spec);
    Sampler sampler = wm.sampler(SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95));
    DecodeState state = sampler.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(7));
    int[][] prompts = corpus.tokens(Corpus.Part.PROMPTS);
    List<int[]> answers = new ArrayList<>();
    int[] ids = new int[50];
    float[] logits = new float[50];
    for (int i = 0; i < 600; i++) {
      int[] p = Arrays.copyOf(prompts[i], Math.min(8, prompts[i].length));
      int[] seq = Arrays.copyOf(p, p.length + 100);
      state.reset();
      for (int t = p.length; t < seq.length; t++) {
        int n = teacher.topCandidates(seq, t, 50, ids, logits);
        seq[t] = sampler.sampleCandidates(ids, logits, n, seq, t, state);
      }
      answers.add(Arrays.copyOfRange(seq, p.length, seq.length));
    }
    Evaluation.Thief thief = new Evaluation.Thief(1, answers.subList(0, 500), corpus.tokens(Corpus.Part.HUMAN));
    long taken = 0;
    long takenGreen = 0;
    long before = 0;
    long after = 0;
    long n = 0;
    for (int[] a : answers.subList(500, 600)) {
      int[] s = thief.scrub(a, attacker);
      for (int t = 1; t < a.length; t++) {
        boolean green = wm.score(wm.windowSeed(a, t), a[t]) > 0.5;
        if (thief.green(a, t)) {
          taken++;
          takenGreen += green ? 1 : 0;
        }
        before += green ? 1 : 0;
        after += wm.score(wm.windowSeed(s, t), s[t]) > 0.5 ? 1 : 0;
        n++;
      }
    }
    System.out.printf(Locale.ROOT, "thief: %d pairs taken for green, %.3f of them green; green rate %.3f -> %.3f after scrubbing%n",
        taken, takenGreen / (double) taken, before / (double) n, after / (double) n);
    assertTrue(taken > 100 && takenGreen > 0.6 * taken, "precision of stolen green lists");
    assertTrue(after < before - 0.05 * n, "scrubbing lowers the green rate");
  }
}
