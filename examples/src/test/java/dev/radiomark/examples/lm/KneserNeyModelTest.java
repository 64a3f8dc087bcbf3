package dev.radiomark.examples.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KneserNeyModelTest {

  private static final int SMALL_V = 12;

  /** Random sequences over ids 0..8 of a 12-id space (9, 10, 11 never seen). */
  private static int[][] smallData(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] data = new int[40][];
    for (int s = 0; s < data.length; s++) {
      data[s] = new int[1 + r.nextInt(15)];
      for (int t = 0; t < data[s].length; t++) {
        // Skewed so that counts of 1, 2 and more all occur.
        data[s][t] = Math.min(r.nextInt(9), r.nextInt(9));
      }
    }
    return data;
  }

  private static final int[][] CONTEXTS = {
      {}, {0}, {3}, {0, 1}, {2, 2, 2}, {9}, {1, 10}, {4, 5, 6, 7}, {8, 0}, {11, 11, 11}
  };

  @Test
  void probabilitiesSumToOneOverTheWholeIdSpace() {
    for (int order = 2; order <= 5; order++) {
      KneserNeyModel m = Models.kneserNey(order, smallData(order), SMALL_V);
      float[] out = new float[SMALL_V + 3];
      for (int[] ctx : CONTEXTS) {
        m.logits(ctx, ctx.length, out, 3);
        double sumLogits = 0;
        double sumProb = 0;
        for (int w = 0; w < SMALL_V; w++) {
          sumLogits += Math.exp(out[3 + w]);
          double p = m.probability(ctx, ctx.length, w);
          assertTrue(p > 0, "p > 0");
          assertEquals(Math.log(p), out[3 + w], 1e-5);
          sumProb += p;
        }
        assertEquals(1.0, sumProb, 1e-12, "order " + order + " context " + Arrays.toString(ctx));
        assertEquals(1.0, sumLogits, 1e-5);
      }
    }
  }

  @Test
  void realModelSumsToOne() {
    KneserNeyModel m = Models.kneserNey(3, Corpus.kjv().tokens(Corpus.Part.TEACHER));
    int[][] prompts = Corpus.kjv().tokens(Corpus.Part.PROMPTS);
    float[] out = new float[m.vocabSize()];
    for (int i = 0; i < 5; i++) {
      int[] ctx = prompts[i];
      for (int len : new int[] {0, 1, Math.min(3, ctx.length), ctx.length}) {
        m.logits(ctx, len, out, 0);
        double sum = 0;
        for (float l : out) {
          sum += Math.exp(l);
        }
        assertEquals(1.0, sum, 1e-4);
      }
    }
  }

  @Test
  void learnsADeterministicSuccessor() {
    int a = 7;
    int b = 150_000;
    int[][] data = new int[50][];
    SplittableRandom r = new SplittableRandom(1);
    for (int s = 0; s < data.length; s++) {
      data[s] = new int[20];
      for (int t = 0; t < 20; t += 2) {
        data[s][t] = t % 4 == 0 ? a : 1000 + r.nextInt(50);
        data[s][t + 1] = data[s][t] == a ? b : 2000 + r.nextInt(50);
      }
    }
    KneserNeyModel m = Models.kneserNey(3, data);
    assertEquals(b, m.argmax(new int[] {a}, 1));
    assertEquals(b, m.argmax(new int[] {1010, 2020, a}, 3));
    assertTrue(m.probability(new int[] {1010, 2020, a}, 3, b) > 0.9);
  }

  @Test
  void topCandidatesAreTheKLargestLogits() {
    KneserNeyModel small = Models.kneserNey(3, smallData(9), SMALL_V);
    KneserNeyModel real = Models.kneserNey(3, Corpus.kjv().tokens(Corpus.Part.HUMAN));
    int[][] prompts = Corpus.kjv().tokens(Corpus.Part.PROMPTS);
    for (KneserNeyModel m : new KneserNeyModel[] {small, real}) {
      float[] all = new float[m.vocabSize()];
      for (int i = 0; i < 20; i++) {
        int[] ctx = m == small ? CONTEXTS[i % CONTEXTS.length] : prompts[i];
        int len = m == small ? ctx.length : Math.min(ctx.length, 1 + i % 4);
        m.logits(ctx, len, all, 0);
        float[] sorted = all.clone();
        Arrays.sort(sorted);
        for (int k : new int[] {1, 5, 50, SMALL_V + 5}) {
          int[] ids = new int[k];
          float[] lg = new float[k];
          int n = m.topCandidates(ctx, len, k, ids, lg);
          assertEquals(Math.min(k, m.vocabSize()), n);
          float[] got = new float[n];
          for (int j = 0; j < n; j++) {
            assertEquals(all[ids[j]], lg[j], 1e-5, "logit of candidate");
            got[j] = lg[j];
          }
          Arrays.sort(got);
          float[] want = Arrays.copyOfRange(sorted, sorted.length - n, sorted.length);
          assertArrayEquals(want, got, 1e-5f);
          assertEquals(all[m.argmax(ctx, len)], sorted[sorted.length - 1], 1e-6);
        }
      }
    }
  }

  @Test
  void isDeterministic() {
    int[][] data = Corpus.kjv().tokens(Corpus.Part.PROMPTS);
    KneserNeyModel a = Models.kneserNey(4, data);
    KneserNeyModel b = Models.kneserNey(4, data);
    float[] la = new float[a.vocabSize()];
    float[] lb = new float[b.vocabSize()];
    for (int i = 0; i < 10; i++) {
      a.logits(data[i], Math.min(3, data[i].length), la, 0);
      b.logits(data[i], Math.min(3, data[i].length), lb, 0);
      assertArrayEquals(la, lb);
    }
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Models.kneserNey(6, smallData(1), SMALL_V));
    assertEquals("order is not in [2, 5]: 6", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Models.kneserNey(3, new int[][] {{1, 12}}, SMALL_V));
    assertEquals("data[0][1] is not in [0, 12): 12", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Models.kneserNey(3, new int[][] {{}}, SMALL_V));
    assertEquals("data has no tokens: 0", e.getMessage());
    KneserNeyModel m = Models.kneserNey(3, smallData(1), SMALL_V);
    e = assertThrows(IllegalArgumentException.class, () -> m.argmax(new int[] {1}, 2));
    assertEquals("len is not in [0, 1]: 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.argmax(new int[] {1, -3}, 2));
    assertEquals("context[1] is not in [0, 12): -3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> m.topCandidates(new int[0], 0, 0, new int[1], new float[1]));
    assertEquals("k is not >= 1: 0", e.getMessage());
  }
}
