package dev.radiomark.benchmarks;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Distinct top-{@link Inputs#TOP_K} candidate sets, as a serving engine would hand them over:
 * each is the set of the 50 largest logits of its own row of the {@link Inputs} distribution
 * (vocabulary {@code vocab}), in random order, with distinct random ids. The row is never built:
 * the largest values of the Gaussian bulk are drawn directly as order statistics
 * ({@code U_(N) = W^(1/N)}, {@code U_(N-1) = U_(N) W'^(1/(N-1))}, ... mapped through the inverse
 * normal), merged with the row's {@link Inputs#SPIKES} spikes, so thousands of sets cost
 * milliseconds.
 */
final class CandidateSets {
  final int[][] ids;
  final float[][] logits;

  CandidateSets(int vocab, int count, long seed) {
    ContinuousDistribution bulk = NormalDistribution.of(0, 2.5);
    SplittableRandom rnd = new SplittableRandom(seed);
    int k = Inputs.TOP_K;
    ids = new int[count][k];
    logits = new float[count][k];
    double[] top = new double[k + Inputs.SPIKES];
    for (int s = 0; s < count; s++) {
      int n = vocab - Inputs.SPIKES;
      double u = 1;
      for (int i = 0; i < k; i++) {
        u *= Math.pow(rnd.nextDouble(), 1.0 / (n - i));
        top[i] = bulk.inverseCumulativeProbability(u);
      }
      for (int i = 0; i < Inputs.SPIKES; i++) {
        top[k + i] = 8.0 + 7.0 * rnd.nextDouble();
      }
      java.util.Arrays.sort(top);
      for (int i = 0; i < k; i++) {
        logits[s][i] = (float) top[top.length - 1 - i];
      }
      // Random order and distinct random ids.
      for (int i = k - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        float t = logits[s][i];
        logits[s][i] = logits[s][j];
        logits[s][j] = t;
      }
      for (int i = 0; i < k; i++) {
        int id;
        do {
          id = rnd.nextInt(vocab);
        } while (contains(ids[s], i, id));
        ids[s][i] = id;
      }
    }
  }

  int count() {
    return ids.length;
  }

  private static boolean contains(int[] a, int n, int x) {
    for (int i = 0; i < n; i++) {
      if (a[i] == x) {
        return true;
      }
    }
    return false;
  }
}
