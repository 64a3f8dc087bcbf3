package dev.radiomark.verify.radioactivity;

/** Top-k selection with log-softmax over one logits row (a bounded min-heap). */
final class TopK {
  private TopK() {}

  /**
   * Writes the k largest logits of {@code logits[from, from + v)} as ids and log-probabilities,
   * largest first, lower id first among ties; NaN logits are never selected.
   */
  static void select(float[] logits, int from, int v, int k, int[] ids, float[] logProbs, int out) {
    if (k < 1 || k > v) {
      throw new IllegalArgumentException("k is not in [1, " + v + "]: " + k);
    }
    int[] heap = new int[k];
    int size = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      float x = logits[from + i];
      if (x > max) {
        max = x;
      }
    }
    double sum = 0;
    for (int i = 0; i < v; i++) {
      float x = logits[from + i];
      if (Float.isNaN(x)) {
        continue;
      }
      sum += Math.exp(x - max);
      if (size < k) {
        heap[size++] = i;
        up(logits, from, heap, size - 1);
      } else if (before(logits, from, i, heap[0])) {
        heap[0] = i;
        down(logits, from, heap, size);
      }
    }
    double logZ = max + Math.log(sum);
    for (int j = size - 1; j >= 0; j--) {
      int top = heap[0];
      ids[out + j] = top;
      logProbs[out + j] = (float) (logits[from + top] - logZ);
      heap[0] = heap[j];
      down(logits, from, heap, j);
    }
  }

  /** Whether id a ranks before id b: larger logit, then lower id. */
  private static boolean before(float[] l, int from, int a, int b) {
    float x = l[from + a];
    float y = l[from + b];
    return x > y || (x == y && a < b);
  }

  private static void up(float[] l, int from, int[] h, int i) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (!before(l, from, h[p], h[i])) {
        break;
      }
      int t = h[p];
      h[p] = h[i];
      h[i] = t;
      i = p;
    }
  }

  private static void down(float[] l, int from, int[] h, int size) {
    int i = 0;
    while (true) {
      int c = 2 * i + 1;
      if (c >= size) {
        return;
      }
      if (c + 1 < size && before(l, from, h[c], h[c + 1])) {
        c++;
      }
      if (!before(l, from, h[i], h[c])) {
        return;
      }
      int t = h[c];
      h[c] = h[i];
      h[i] = t;
      i = c;
    }
  }
}
