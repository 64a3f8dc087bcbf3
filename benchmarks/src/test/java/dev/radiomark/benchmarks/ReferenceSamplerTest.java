package dev.radiomark.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** The reference sampler draws the token {@code Sampler.plain} draws for the same random stream. */
class ReferenceSamplerTest {
  static final int V = 32_000;

  @Test
  void sameTokensAsThePlainSampler() {
    SplittableRandom rnd = new SplittableRandom(3);
    float[][] rows = new float[40][V];
    for (int i = 0; i < rows.length; i++) {
      Inputs.fillRow(rows[i], 0, V, rnd);
      for (int v = 0; v < V; v++) {
        switch (i % 4) {
          case 1 -> rows[i][v] = Math.round(rows[i][v] * 2) / 2f; // many ties
          case 2 -> rows[i][v] = rnd.nextBoolean() ? Float.NEGATIVE_INFINITY : rows[i][v];
          case 3 -> rows[i][v] = rows[i][v] * 6; // peaked
          default -> { }
        }
      }
    }
    CandidateSets sets = new CandidateSets(V, 64, 7);
    int draws = 0;
    for (SamplingConfig c : new SamplingConfig[] {Inputs.config(), Inputs.config().withTopP(0.5),
        Inputs.config().withTemperature(1.4).withTopP(0.999)}) {
      Sampler plain = Sampler.plain(V, c);
      ReferenceSampler ref = new ReferenceSampler(c);
      DecodeState st = plain.newState(rng(c.hashCode()));
      UniformRandomProvider r = rng(c.hashCode());
      int[] context = {1};
      for (int i = 0; i < 1_000; i++) {
        float[] row = rows[i % rows.length];
        assertEquals(plain.sample(row, context, 1, st), ref.sample(row, 0, V, r), c + " row " + i);
        int s = i % sets.count();
        assertEquals(plain.sampleCandidates(sets.ids[s], sets.logits[s], Inputs.TOP_K, context, 1, st),
            ref.sampleCandidates(sets.ids[s], sets.logits[s], Inputs.TOP_K, r), c + " set " + i);
        draws += 2;
      }
    }
    assertEquals(6_000, draws);
  }

  private static UniformRandomProvider rng(long seed) {
    return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
  }
}
