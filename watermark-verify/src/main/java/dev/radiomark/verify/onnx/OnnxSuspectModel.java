package dev.radiomark.verify.onnx;

import dev.radiomark.verify.radioactivity.SuspectModel;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An ONNX causal LM as a reading-mode {@link SuspectModel}. {@link #top1} and {@link #topK} use
 * the interface's defaults over {@link #nextTokenLogits}.
 *
 * <p>A batch runs as one session call with the contexts right-padded (see
 * {@link OnnxCausalLm#nextTokenLogits}); only the logits row of each context's last position is
 * copied out. Contexts passed as the same array (the reading-mode test passes one chunk with
 * growing lengths) run once, at their longest length: a causal model's row at position p depends
 * only on tokens 0..p, so each shorter context reads its own row of the longer run. This turns the
 * chunk's quadratic cost into one forward pass; the result is the same as running each context
 * alone (up to float rounding, tested at 1e-4).
 *
 * <p>Memory: the model outputs logits for every position, so one call holds
 * rows x longest context x vocabulary x 4 bytes of direct memory (distinct arrays count as rows):
 * a 256-token chunk of a 128,256-token vocabulary is 131 MB. Bound it with the reading-mode
 * test's chunk length and batch size.
 *
 * <p>Thread-safe, as the model is. Closing is the model's owner's business.
 */
public final class OnnxSuspectModel implements SuspectModel {
  private final OnnxCausalLm model;

  private OnnxSuspectModel(OnnxCausalLm model) {
    this.model = model;
  }

  /**
   * Wraps an open model.
   *
   * @param model the suspect's weights
   * @return the suspect
   * @throws IllegalArgumentException if model is null
   */
  public static OnnxSuspectModel of(OnnxCausalLm model) {
    if (model == null) {
      throw new IllegalArgumentException("model is null");
    }
    return new OnnxSuspectModel(model);
  }

  /** @return the wrapped model */
  public OnnxCausalLm model() {
    return model;
  }

  @Override
  public int vocabSize() {
    return model.vocabSize();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException on a length outside [1, model.maxContext()] or a bad token id
   */
  @Override
  public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
    if (batch < 1 || batch > contexts.length || batch > lens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "batch is not in [1, %d]: %d", Math.min(contexts.length, lens.length), batch));
    }
    Map<int[], Integer> rowOf = new IdentityHashMap<>();
    int[][] rows = new int[batch][];
    int[] rowLens = new int[batch];
    int[] row = new int[batch];
    int[] pos = new int[batch];
    int n = 0;
    for (int b = 0; b < batch; b++) {
      if (lens[b] < 1) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "lens[%d] is not at least 1: %d", b, lens[b]));
      }
      Integer r = rowOf.get(contexts[b]);
      if (r == null) {
        r = n++;
        rowOf.put(contexts[b], r);
        rows[r] = contexts[b];
      }
      rowLens[r] = Math.max(rowLens[r], lens[b]);
      row[b] = r;
      pos[b] = lens[b] - 1;
    }
    model.rows(rows, rowLens, n, row, pos, batch, out);
  }

  @Override
  public String toString() {
    return "OnnxSuspectModel[" + model + "]";
  }
}
