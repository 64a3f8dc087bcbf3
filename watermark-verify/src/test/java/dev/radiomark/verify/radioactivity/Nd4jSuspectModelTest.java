package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J adapter against a model whose answer is known: logits peak at (last token + 1) mod V. */
class Nd4jSuspectModelTest {
  static final int V = 50;

  /** Right-padded contexts [batch, maxLen] and lengths [batch] to one-hot-ish logits. */
  static INDArray nextIsLastPlusOne(INDArray contexts, INDArray lens) {
    int batch = (int) contexts.size(0);
    INDArray out = Nd4j.zeros(DataType.FLOAT, batch, V);
    for (int b = 0; b < batch; b++) {
      int len = lens.getInt(b);
      int last = len == 0 ? 0 : (int) contexts.getLong(b, len - 1);
      out.putScalar(b, (last + 1) % V, 5.0f);
    }
    return out;
  }

  @Test
  void top1AndLogitsFollowTheForwardFunction() {
    Nd4jSuspectModel m = Nd4jSuspectModel.of(V, 0, Nd4jSuspectModelTest::nextIsLastPlusOne);
    int[][] contexts = {{3, 4, 7}, {49}, {10, 11}};
    int[] lens = {3, 1, 1};
    int[] top1 = new int[3];
    m.top1(contexts, lens, 3, top1);
    assertArrayEquals(new int[] {8, 0, 11}, top1);
    float[] logits = new float[3 * V];
    m.nextTokenLogits(contexts, lens, 3, logits);
    assertEquals(5.0f, logits[8]);
    assertEquals(5.0f, logits[V]);
    assertEquals(5.0f, logits[2 * V + 11]);
    assertEquals(0.0f, logits[2 * V + 12]);
  }

  @Test
  void wrongOutputShapeIsRefusedWithBothShapes() {
    Nd4jSuspectModel m = Nd4jSuspectModel.of(V, 0, (c, l) -> Nd4j.zeros(DataType.FLOAT, c.size(0), V + 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.top1(new int[][] {{1}}, new int[] {1}, 1, new int[1]));
    assertTrue(e.getMessage().contains("[1, 50]") && e.getMessage().contains("51"), e.getMessage());
  }

  @Test
  void padIdOutOfRangeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Nd4jSuspectModel.of(V, V, Nd4jSuspectModelTest::nextIsLastPlusOne));
    assertEquals("padId is not in [0, 50): 50", e.getMessage());
  }
}
