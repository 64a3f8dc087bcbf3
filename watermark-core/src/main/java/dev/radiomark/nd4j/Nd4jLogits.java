package dev.radiomark.nd4j;

import dev.radiomark.DecodeState;
import dev.radiomark.LogitsProcessor;
import dev.radiomark.Sampler;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adapts ND4J {@code INDArray} logits of shape [batch, vocab] to the float[] API. The only class
 * of the core that touches ND4J; {@code nd4j-api} is an optional dependency. Each call copies a
 * row out (and back, for the bias), so the array may be in any order or on any backend.
 */
public final class Nd4jLogits {
  private Nd4jLogits() {}

  /**
   * Applies a logits processor to every row, in place.
   *
   * @param processor green-list processor
   * @param logits FLOAT array of shape [batch, vocab]
   * @param tokens context of each row
   * @param lens context length of each row
   */
  public static void bias(LogitsProcessor processor, INDArray logits, int[][] tokens, int[] lens) {
    int batch = check(logits, tokens, lens);
    for (int b = 0; b < batch; b++) {
      float[] row = logits.getRow(b).toFloatVector();
      processor.bias(row, tokens[b], lens[b]);
      for (int v = 0; v < row.length; v++) {
        logits.putScalar(b, v, row[v]);
      }
    }
  }

  /**
   * Samples one token per row.
   *
   * @param sampler the sampler (plain or watermarked)
   * @param logits array of shape [batch, vocab]
   * @param tokens context of each row
   * @param lens context length of each row
   * @param states sequence state of each row
   * @return the sampled token of each row
   */
  public static int[] sample(Sampler sampler, INDArray logits, int[][] tokens, int[] lens, DecodeState[] states) {
    int batch = check(logits, tokens, lens);
    int[] out = new int[batch];
    for (int b = 0; b < batch; b++) {
      out[b] = sampler.sample(logits.getRow(b).toFloatVector(), tokens[b], lens[b], states[b]);
    }
    return out;
  }

  private static int check(INDArray logits, int[][] tokens, int[] lens) {
    if (logits.rank() != 2) {
      throw new IllegalArgumentException("logits rank is not 2: " + logits.rank());
    }
    if (logits.dataType() != DataType.FLOAT && logits.dataType() != DataType.DOUBLE
        && logits.dataType() != DataType.HALF && logits.dataType() != DataType.BFLOAT16) {
      throw new IllegalArgumentException("logits data type is not floating point: " + logits.dataType());
    }
    long batch = logits.size(0);
    if (tokens.length != batch || lens.length != batch) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "batch %d does not match %d contexts and %d lengths", batch, tokens.length, lens.length));
    }
    return (int) batch;
  }
}
