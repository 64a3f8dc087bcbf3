package dev.radiomark.examples.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NeuralModelTest {

  private static final int V = 1000;

  /** Verses that cycle through a fixed period-9 pattern from different phases. */
  private static int[][] cyclic() {
    int[] pattern = {3, 901, 44, 17, 3, 250, 999, 17, 61};
    int[][] data = new int[60][];
    for (int s = 0; s < data.length; s++) {
      data[s] = new int[40];
      for (int t = 0; t < 40; t++) {
        data[s][t] = pattern[(s + t) % pattern.length];
      }
    }
    return data;
  }

  private static NeuralConfig small() {
    return NeuralConfig.withDefaults().withEmbeddingDim(16).withHiddenDim(32)
        .withOutputVocab(64).withBatchSize(32).withEpochs(15).withLearningRate(0.01);
  }

  @Test
  void learnsADeterministicSequence() {
    int[][] data = cyclic();
    NeuralModel m = Models.neural(small(), data, V, 42);
    int total = 0;
    int hit = 0;
    int n = 0;
    for (int[] seq : data) {
      n += seq.length - 3;
    }
    int[][] ctx = new int[n][];
    int[] lens = new int[n];
    int[] want = new int[n];
    for (int[] seq : data) {
      // From position 3 on, three tokens of context determine the next one.
      for (int t = 3; t < seq.length; t++) {
        ctx[total] = seq;
        lens[total] = t;
        want[total] = seq[t];
        if (m.argmax(seq, t) == seq[t]) {
          hit++;
        }
        total++;
      }
    }
    assertTrue(hit > 0.9 * total, "accuracy " + hit + "/" + total);
    int[] batch = new int[n];
    m.argmaxBatch(ctx, lens, batch);
    int agree = 0;
    for (int i = 0; i < n; i++) {
      agree += batch[i] == want[i] ? 1 : 0;
    }
    assertTrue(agree > 0.9 * total, "batched accuracy " + agree + "/" + total);
  }

  @Test
  void logitsAreNormalisedAndTopCandidatesAgree() {
    NeuralModel m = Models.neural(small().withEpochs(2), cyclic(), V, 7);
    float[] all = new float[V];
    int[] ctx = {3, 901, 44, 17};
    for (int len = 0; len <= ctx.length; len++) {
      m.logits(ctx, len, all, 0);
      double sum = 0;
      int floors = 0;
      for (float l : all) {
        if (l == NeuralModel.FLOOR_LOGIT) {
          floors++;
        } else {
          sum += Math.exp(l);
        }
      }
      assertEquals(1.0, sum, 1e-4);
      assertEquals(V - m.outputVocabSize(), floors);
      float[] sorted = all.clone();
      Arrays.sort(sorted);
      int[] ids = new int[20];
      float[] lg = new float[20];
      int k = m.topCandidates(ctx, len, 20, ids, lg);
      assertEquals(Math.min(20, m.outputVocabSize()), k);
      float[] got = Arrays.copyOf(lg, k);
      Arrays.sort(got);
      assertArrayEquals(Arrays.copyOfRange(sorted, V - k, V), got, 1e-5f);
      assertEquals(sorted[V - 1], all[m.argmax(ctx, len)], 1e-6);
    }
  }

  @Test
  void isDeterministicGivenTheSeed() {
    NeuralModel a = Models.neural(small().withEpochs(2), cyclic(), V, 5);
    NeuralModel b = Models.neural(small().withEpochs(2), cyclic(), V, 5);
    float[] la = new float[V];
    float[] lb = new float[V];
    int[] ctx = {17, 61, 3};
    for (int len = 0; len <= 3; len++) {
      a.logits(ctx, len, la, 0);
      b.logits(ctx, len, lb, 0);
      assertArrayEquals(la, lb);
    }
  }

  @Test
  void rejectsBadConfiguration() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NeuralConfig.withDefaults().withHiddenDim(0));
    assertEquals("hiddenDim is not in [1, 4096]: 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> NeuralConfig.withDefaults().withLearningRate(1.5));
    assertEquals("learningRate is not in (0, 1]: 1.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Models.neural(small(), new int[][] {{1, 1000}}, V, 1));
    assertEquals("data[0][1] is not in [0, 1000): 1000", e.getMessage());
  }
}
