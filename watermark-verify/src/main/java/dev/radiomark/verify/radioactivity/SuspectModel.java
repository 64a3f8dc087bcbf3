package dev.radiomark.verify.radioactivity;

/**
 * A suspect model whose weights we can run: next-token logits, or directly its top-1 prediction,
 * for a batch of contexts. Simple models implement {@link #nextTokenLogits} only; models that can
 * take the argmax on their own device override {@link #top1} and never materialise the logits.
 *
 * <p>Context {@code b} is {@code contexts[b][0, lens[b])}; the prediction is for the token that
 * follows it. Implementations must not keep or modify the context arrays (the test reuses them)
 * and must be deterministic for a given context (top-1, no sampling).
 */
public interface SuspectModel {
  /**
   * The vocabulary size: the width of a logits row and the bound of predicted ids. Must equal
   * the watermark's vocabulary size.
   *
   * @return the vocabulary size, at least 2
   */
  int vocabSize();

  /**
   * Next-token logits of each context.
   *
   * @param contexts context token ids; row {@code b} is used up to {@code lens[b]}
   * @param lens context lengths, each at least 1
   * @param batch number of contexts, at most {@code contexts.length}
   * @param out receives {@code batch * vocabSize()} logits, row-major
   */
  void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out);

  /**
   * The top-1 next token of each context. The default computes the logits and takes the argmax
   * (the lowest id among ties; NaN logits never win).
   *
   * @param contexts context token ids; row {@code b} is used up to {@code lens[b]}
   * @param lens context lengths, each at least 1
   * @param batch number of contexts
   * @param out receives {@code batch} token ids in [0, vocabSize())
   */
  default void top1(int[][] contexts, int[] lens, int batch, int[] out) {
    int v = vocabSize();
    float[] logits = new float[Math.multiplyExact(batch, v)];
    nextTokenLogits(contexts, lens, batch, logits);
    for (int b = 0; b < batch; b++) {
      int base = b * v;
      int best = 0;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < v; i++) {
        float x = logits[base + i];
        if (x > max) {
          max = x;
          best = i;
        }
      }
      out[b] = best;
    }
  }

  /**
   * The k most probable next tokens of each context with their log-probabilities (normalised
   * over the whole vocabulary), most probable first; ties go to the lower id. The default
   * computes the logits; an API that returns top-k log-probabilities implements it directly.
   * A context with fewer than k possible tokens fills its remaining slots with id -1.
   *
   * @param contexts context token ids; row {@code b} is used up to {@code lens[b]}
   * @param lens context lengths, each at least 1
   * @param batch number of contexts
   * @param k tokens per context, in [1, vocabSize()]
   * @param ids receives {@code batch * k} token ids (or -1 for an unused slot), row-major
   * @param logProbs receives {@code batch * k} natural-log probabilities, row-major
   */
  default void topK(int[][] contexts, int[] lens, int batch, int k, int[] ids, float[] logProbs) {
    int v = vocabSize();
    float[] logits = new float[Math.multiplyExact(batch, v)];
    nextTokenLogits(contexts, lens, batch, logits);
    for (int b = 0; b < batch; b++) {
      TopK.select(logits, b * v, v, k, ids, logProbs, b * k);
    }
  }
}
