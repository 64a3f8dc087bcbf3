package dev.radiomark.verify;

import java.util.Locale;

/**
 * Finds a watermarked passage pasted inside other text. Segments of the scored tuples are tried
 * on a dyadic grid: lengths L = minLength * 2^j up to the number of scored tuples (and that
 * number itself), starts every L/2 tuples. With M segments tried the reported p-value is
 * Bonferroni's min(1, M p_min), valid whatever the search found.
 */
public final class SegmentSearch {
  private final int minLength;

  private SegmentSearch(int minLength) {
    this.minLength = minLength;
  }

  /**
   * A search with a smallest segment of {@code minLength} scored tuples.
   *
   * @param minLength smallest segment, in [2, 2^20]
   * @return the search
   */
  public static SegmentSearch withMinLength(int minLength) {
    if (minLength < 2 || minLength > (1 << 20)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "minLength is not in [2, 1048576]: %d", minLength));
    }
    return new SegmentSearch(minLength);
  }

  /**
   * Searches one text.
   *
   * @param detector the detector (key, scheme, options)
   * @param prompt prompt tokens (may be empty)
   * @param text text tokens
   * @return the best segment; with no scored tuple, the empty segment with p = 1
   */
  public SegmentResult search(Detector detector, int[] prompt, int[] text) {
    double[] scores = new double[text.length];
    detector.newTape().add(prompt, text, null, scores);
    int n = 0;
    for (double x : scores) {
      if (!Double.isNaN(x)) {
        n++;
      }
    }
    int[] pos = new int[n];
    double[] prefix = new double[n + 1];
    int k = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isNaN(scores[i])) {
        pos[k] = i;
        prefix[k + 1] = prefix[k] + scores[i];
        k++;
      }
    }
    NullModel nul = detector.nullModel();
    long tried = 0;
    double best = 0;
    int bs = 0;
    int be = 0;
    for (long len = Math.min(minLength, n); len >= 1 && len <= n; len = next(len, n)) {
      int step = (int) Math.max(1, len / 2);
      for (int s = 0; s + len <= n; s += step) {
        int e = (int) (s + len);
        double l = nul.log10P(len, prefix[e] - prefix[s]);
        tried++;
        if (l < best || tried == 1) {
          best = l;
          bs = s;
          be = e;
        }
      }
      if (len == n) {
        break;
      }
    }
    if (tried == 0) {
      return new SegmentResult(0, 0, 0, 0, 0, 0, 0);
    }
    double corrected = Math.min(0.0, best + Math.log10(tried));
    return new SegmentResult(pos[bs], pos[be - 1] + 1, be - bs, prefix[be] - prefix[bs], best, corrected, tried);
  }

  private static long next(long len, int n) {
    long d = len * 2;
    return d > n && len < n ? n : d;
  }
}
