package dev.radiomark.verify;

import dev.radiomark.verify.stats.ScanBound;
import dev.radiomark.verify.stats.Tails;
import java.util.Locale;

/**
 * Finds a watermarked passage pasted inside other text. Two searches, both valid whatever they
 * find:
 *
 * <ul>
 *   <li>{@link #withMinLength} (dyadic grid): lengths L = minLength * 2^j up to the number of
 *       scored tuples (and that number itself), starts every L/2 tuples. With M segments tried
 *       the reported p-value is Bonferroni's min(1, M p_min).
 *   <li>{@link #scan} (scan statistic, green list): every window of every length of a grid
 *       with ratio about sqrt 2 (minLength, 1.41 minLength, 2 minLength, ..., and n itself), all
 *       n - L + 1 starts. Each length's maximum count gets the exact-law bound of
 *       {@link ScanBound} (provably conservative, close to exact for rare events), and the
 *       smallest over the G lengths is multiplied by G. Other schemes (non-Bernoulli scores)
 *       fall back to the dyadic grid.
 * </ul>
 *
 * In both, {@link SegmentResult#log10PRaw()} is the best segment's own p-value as if it had been
 * chosen in advance, and {@link SegmentResult#segmentsTried()} the number of segments compared.
 */
public final class SegmentSearch {
  private final int minLength;
  private final boolean scan;

  private SegmentSearch(int minLength, boolean scan) {
    this.minLength = minLength;
    this.scan = scan;
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
    return new SegmentSearch(minLength, false);
  }

  /**
   * A scan-statistic search (every start, lengths on a sqrt-2 grid from {@code minLength}).
   *
   * @param minLength smallest segment in scored tuples, in [2, 2^20]
   * @return the search
   */
  public static SegmentSearch scan(int minLength) {
    withMinLength(minLength);
    return new SegmentSearch(minLength, true);
  }

  /**
   * The window lengths a scan over n scored tuples tries: minLength, then each next length is
   * the previous times sqrt 2, rounded, at least one more, while at most n; then n itself. Fewer
   * than minLength tuples: n alone.
   *
   * @param n scored tuples
   * @return the lengths, increasing
   */
  public int[] scanLengths(int n) {
    if (n <= 0) {
      return new int[0];
    }
    if (n <= minLength) {
      return new int[] {n};
    }
    int count = 0;
    int[] buf = new int[64];
    for (long l = minLength; l <= n; l = Math.max(l + 1, Math.round(l * Math.sqrt(2)))) {
      buf[count++] = (int) l;
    }
    if (buf[count - 1] < n) {
      buf[count++] = n;
    }
    return java.util.Arrays.copyOf(buf, count);
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
    if (scan && !Double.isNaN(nul.bernoulliRate())) {
      return scan(pos, prefix, n, nul.bernoulliRate());
    }
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

  private SegmentResult scan(int[] pos, double[] prefix, int n, double gamma) {
    int[] lengths = scanLengths(n);
    if (lengths.length == 0) {
      return new SegmentResult(0, 0, 0, 0, 0, 0, 0);
    }
    double best = 1;
    double bestRaw = 0;
    int bs = 0;
    int be = 0;
    long tried = 0;
    for (int len : lengths) {
      int k = -1;
      int at = 0;
      for (int s = 0; s + len <= n; s++) {
        int c = (int) Math.round(prefix[s + len] - prefix[s]);
        if (c > k) {
          k = c;
          at = s;
        }
      }
      tried += n - len + 1;
      double b = ScanBound.log10Bernoulli(n, len, k, gamma);
      if (best > 0 || b < best) {
        best = b;
        bs = at;
        be = at + len;
        bestRaw = Tails.log10BinomialSurvival(len, k, gamma);
      }
    }
    double corrected = Math.min(0.0, best + Math.log10(lengths.length));
    return new SegmentResult(pos[bs], pos[be - 1] + 1, be - bs, prefix[be] - prefix[bs], bestRaw, corrected, tried);
  }

  private static long next(long len, int n) {
    long d = len * 2;
    return d > n && len < n ? n : d;
  }
}
