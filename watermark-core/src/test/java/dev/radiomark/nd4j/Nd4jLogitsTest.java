package dev.radiomark.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.radiomark.DecodeState;
import dev.radiomark.LogitsProcessor;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Scheme;
import dev.radiomark.TestSupport;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The INDArray adapter gives exactly the float[] results. Skipped if ND4J cannot load natively. */
class Nd4jLogitsTest {
  static final int V = 300;

  private static INDArray create(float[][] rows) {
    try {
      return Nd4j.create(rows).castTo(DataType.FLOAT);
    } catch (Throwable t) {
      assumeTrue(false, "ND4J native backend did not load: " + t);
      return null;
    }
  }

  @Test
  void biasAndSampleEqualTheFloatArrayPath() {
    Watermarker w = Watermarker.of(TestSupport.key(71), TestSupport.spec(Scheme.GREEN_LIST, V, 2, WindowRule.ORDERED));
    LogitsProcessor p = w.processor();
    int[][] ctx = {{1, 2, 3}, {4, 5, 6}};
    int[] lens = {3, 3};
    float[][] rows = new float[2][V];
    for (int b = 0; b < 2; b++) {
      TestSupport.modelLogits(rows[b], ctx[b], 3);
    }
    INDArray arr = create(rows);
    Nd4jLogits.bias(p, arr, ctx, lens);
    for (int b = 0; b < 2; b++) {
      float[] expected = rows[b].clone();
      p.bias(expected, ctx[b], 3);
      assertArrayEquals(expected, arr.getRow(b).toFloatVector());
    }
    Sampler s = w.sampler(SamplingConfig.defaults());
    DecodeState[] a = {s.newState(TestSupport.rng(1)), s.newState(TestSupport.rng(2))};
    DecodeState[] c = {s.newState(TestSupport.rng(1)), s.newState(TestSupport.rng(2))};
    int[] got = Nd4jLogits.sample(s, create(rows), ctx, lens, a);
    int[] want = {s.sample(rows[0], ctx[0], 3, c[0]), s.sample(rows[1], ctx[1], 3, c[1])};
    assertArrayEquals(want, got);
    assertThrows(IllegalArgumentException.class, () -> Nd4jLogits.bias(p, arr, new int[][] {{1}}, new int[] {1}));
  }
}
