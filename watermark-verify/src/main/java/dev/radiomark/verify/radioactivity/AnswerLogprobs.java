package dev.radiomark.verify.radioactivity;

import java.util.Locale;

/**
 * One answer of the suspect with, at each answer position, the suspect's own top-k
 * alternatives as an API returns them: the k most probable next tokens after the prompt and the
 * answer's tokens before that position, with their natural-log probabilities.
 *
 * <p>Position i's alternatives are {@code ids[i * k + j]} with log-probability
 * {@code logProbs[i * k + j]}, j in [0, k); a list shorter than k is padded with id -1 (its
 * log-probability is ignored). The arrays are not copied (answers can be long).
 *
 * @param answer the answer (prompt and text token ids)
 * @param k alternatives per position, in [1, 4096]
 * @param ids alternative token ids, length {@code text.length * k}; each -1 or in [0, vocabulary)
 * @param logProbs their log-probabilities, same length; finite and at most 0 where the id is not -1
 */
public record AnswerLogprobs(Answer answer, int k, int[] ids, float[] logProbs) {
  /**
   * Checks shapes, ranges and that no id repeats at a position.
   *
   * @throws IllegalArgumentException naming the position and value at fault
   */
  public AnswerLogprobs {
    if (answer == null || ids == null || logProbs == null) {
      throw new IllegalArgumentException("answer, ids and logProbs must not be null");
    }
    if (k < 1 || k > 4096) {
      throw new IllegalArgumentException("k is not in [1, 4096]: " + k);
    }
    long n = (long) answer.text().length * k;
    if (ids.length != n || logProbs.length != n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "ids and logProbs must hold %d = %d text tokens x k %d entries: ids %d, logProbs %d",
          n, answer.text().length, k, ids.length, logProbs.length));
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == -1) {
        continue;
      }
      if (ids[i] < 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "alternative %d of text token %d is not a token id: %d", i % k, i / k, ids[i]));
      }
      float lp = logProbs[i];
      if (!(lp <= 0) || Float.isInfinite(lp)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "log-probability of alternative %d of text token %d is not finite and <= 0: %s", i % k, i / k, lp));
      }
      for (int j = i - i % k; j < i; j++) {
        if (ids[j] == ids[i]) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "text token %d lists token id %d twice among its alternatives", i / k, ids[i]));
        }
      }
    }
  }

  /** Counts only: answers may be confidential. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "AnswerLogprobs[prompt=%d tokens, text=%d tokens, k=%d]",
        answer.prompt().length, answer.text().length, k);
  }
}
