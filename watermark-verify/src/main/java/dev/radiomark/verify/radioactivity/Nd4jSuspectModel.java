package dev.radiomark.verify.radioactivity;

import java.util.Locale;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adapts an ND4J model to {@link SuspectModel}: a function from a context batch to next-token
 * logits. The only class of this module that touches ND4J ({@code nd4j-api} is an optional
 * dependency; a backend such as {@code nd4j-native} must be on the class path to call it).
 *
 * <p>The contexts are passed as an INT64 array of shape [batch, maxLen], each row left-aligned
 * and right-padded with {@code padId} up to the longest context of the batch, together with an
 * INT32 vector of the lengths. The function must return logits of shape [batch, vocab] for the
 * token following each context (the logits at position {@code lens[b] - 1} of row b).
 * {@link #top1} takes the argmax with ND4J, so only the ids leave the array.
 */
public final class Nd4jSuspectModel implements SuspectModel {
  /** A model as a function of (contexts [batch, maxLen], lengths [batch]) to logits [batch, vocab]. */
  @FunctionalInterface
  public interface Forward {
    /**
     * One forward pass.
     *
     * @param contexts INT64 token ids [batch, maxLen], right-padded
     * @param lens INT32 lengths [batch]
     * @return next-token logits [batch, vocab], any floating type
     */
    INDArray apply(INDArray contexts, INDArray lens);
  }

  private final int vocabSize;
  private final int padId;
  private final Forward forward;

  private Nd4jSuspectModel(int vocabSize, int padId, Forward forward) {
    this.vocabSize = vocabSize;
    this.padId = padId;
    this.forward = forward;
  }

  /**
   * Wraps a forward function.
   *
   * @param vocabSize the model's vocabulary size, at least 2
   * @param padId token id used for padding, in [0, vocabSize)
   * @param forward the forward pass
   * @return the suspect
   * @throws IllegalArgumentException if out of range or forward is null
   */
  public static Nd4jSuspectModel of(int vocabSize, int padId, Forward forward) {
    if (vocabSize < 2) {
      throw new IllegalArgumentException("vocabSize is not in [2, 2147483647]: " + vocabSize);
    }
    if (padId < 0 || padId >= vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "padId is not in [0, %d): %d", vocabSize, padId));
    }
    if (forward == null) {
      throw new IllegalArgumentException("forward is null");
    }
    return new Nd4jSuspectModel(vocabSize, padId, forward);
  }

  /**
   * Wraps a function of the padded contexts alone (for models that ignore padding, or whose
   * contexts in a batch all have the same length).
   *
   * @param vocabSize the model's vocabulary size
   * @param padId padding id
   * @param forward contexts [batch, maxLen] to logits [batch, vocab]
   * @return the suspect
   */
  public static Nd4jSuspectModel of(int vocabSize, int padId, Function<INDArray, INDArray> forward) {
    if (forward == null) {
      throw new IllegalArgumentException("forward is null");
    }
    return of(vocabSize, padId, (Forward) (c, l) -> forward.apply(c));
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  private INDArray logits(int[][] contexts, int[] lens, int batch) {
    int max = 1;
    for (int b = 0; b < batch; b++) {
      max = Math.max(max, lens[b]);
    }
    long[] ids = new long[batch * max];
    java.util.Arrays.fill(ids, padId);
    int[] ls = new int[batch];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < lens[b]; i++) {
        ids[b * max + i] = contexts[b][i];
      }
      ls[b] = lens[b];
    }
    INDArray c = Nd4j.createFromArray(ids).reshape(batch, max);
    INDArray l = Nd4j.createFromArray(ls);
    INDArray out = forward.apply(c, l);
    if (out.rank() != 2 || out.size(0) != batch || out.size(1) != vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "suspect logits shape is not [%d, %d]: %s", batch, vocabSize, java.util.Arrays.toString(out.shape())));
    }
    return out;
  }

  @Override
  public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
    INDArray l = logits(contexts, lens, batch).castTo(DataType.FLOAT);
    for (int b = 0; b < batch; b++) {
      float[] row = l.getRow(b).toFloatVector();
      System.arraycopy(row, 0, out, b * vocabSize, vocabSize);
    }
  }

  @Override
  public void top1(int[][] contexts, int[] lens, int batch, int[] out) {
    int[] best = logits(contexts, lens, batch).argMax(1).toIntVector();
    System.arraycopy(best, 0, out, 0, batch);
  }
}
