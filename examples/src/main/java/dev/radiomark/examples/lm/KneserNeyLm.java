package dev.radiomark.examples.lm;

import java.util.Arrays;
import java.util.Locale;

/**
 * Interpolated Kneser-Ney over compact ids (0 is the beginning-of-sequence symbol, 1..types are
 * the training types) with the uniform floor over the full id space; see {@link KneserNeyModel}.
 *
 * <p>A query resolves the longest seen context once and expands the recursion into
 * {@code p(w) = G * p1(w) + sum_j g_j * alpha_j(w)}, where {@code alpha_j} is sparse (successors
 * of the context of length {@code j}) and {@code p1} is dense and precomputed, so a query costs
 * the number of successors, not the vocabulary size.
 */
final class KneserNeyLm implements KneserNeyModel {

  private static final int BOS = 0;

  private final int vocabSize;
  private final int order;
  private final int[] toCompact;
  private final int[] fromCompact;
  /** Unigram level over compact ids, uniform share included; index 0 (BOS) is 0. */
  private final double[] p1;
  /** Probability of an id never seen in training at the unigram level (the uniform share). */
  private final double uniform;
  /** All full ids by descending p1 (seen types first). */
  private final int[] p1Order;
  /** Per context length j in [1, order): context key (parent << 32 | token) to context index. */
  private final LongIntMap[] ctxMap;
  private final int[][] succStart;
  private final int[][] succTok;
  private final double[][] succAlpha;
  private final double[][] ctxGamma;
  private final double[] discounts;
  private final ThreadLocal<Scratch> scratch;

  private KneserNeyLm(int vocabSize, int order, int[] toCompact, int[] fromCompact, double[] p1,
      double uniform, int[] p1Order, LongIntMap[] ctxMap, int[][] succStart, int[][] succTok,
      double[][] succAlpha, double[][] ctxGamma, double[] discounts) {
    this.vocabSize = vocabSize;
    this.order = order;
    this.toCompact = toCompact;
    this.fromCompact = fromCompact;
    this.p1 = p1;
    this.uniform = uniform;
    this.p1Order = p1Order;
    this.ctxMap = ctxMap;
    this.succStart = succStart;
    this.succTok = succTok;
    this.succAlpha = succAlpha;
    this.ctxGamma = ctxGamma;
    this.discounts = discounts;
    int types = fromCompact.length;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(types, order));
  }

  static KneserNeyLm train(int order, int[][] data, int vocabSize) {
    Checks.data(data, vocabSize);
    // Compact ids in order of first appearance keep training deterministic.
    int[] toCompact = new int[vocabSize];
    Arrays.fill(toCompact, -1);
    int types = 1;
    long positions = 0;
    for (int s = 0; s < data.length; s++) {
      int[] seq = data[s];
      for (int t = 0; t < seq.length; t++) {
        int id = seq[t];
        if (toCompact[id] < 0) {
          toCompact[id] = types++;
        }
      }
      positions += seq.length;
    }
    if (positions == 0) {
      throw new IllegalArgumentException("data has no tokens: 0");
    }
    if (positions > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "data token count is not in [1, %d]: %d", Integer.MAX_VALUE / 2, positions));
    }
    int[] fromCompact = new int[types];
    fromCompact[BOS] = -1;
    for (int id = 0; id < vocabSize; id++) {
      if (toCompact[id] >= 0) {
        fromCompact[toCompact[id]] = id;
      }
    }
    int p = (int) positions;
    int[] target = new int[p];
    int maxCtx = order - 1;
    // ctx[j][pos]: index of the context of length j before pos; parent[j][c]: its length j-1 suffix.
    int[][] ctx = new int[order][];
    ctx[0] = new int[p];
    LongIntMap[] maps = new LongIntMap[order];
    int[][] parent = new int[order][];
    {
      int pos = 0;
      for (int[] seq : data) {
        for (int t = 0; t < seq.length; t++) {
          target[pos++] = toCompact[seq[t]];
        }
      }
    }
    for (int j = 1; j <= maxCtx; j++) {
      ctx[j] = new int[p];
      LongIntMap map = new LongIntMap(Math.min(p, 1 << 16));
      int[] par = new int[16];
      int pos = 0;
      int[] prev = ctx[j - 1];
      int[] cur = ctx[j];
      for (int[] seq : data) {
        for (int t = 0; t < seq.length; t++, pos++) {
          int tok = t - j >= 0 ? toCompact[seq[t - j]] : BOS;
          long key = ((long) prev[pos] << 32) | tok;
          int idx = map.putIfAbsent(key, map.size());
          if (idx < 0) {
            idx = map.size() - 1;
            if (idx >= par.length) {
              par = Arrays.copyOf(par, par.length * 2);
            }
            par[idx] = prev[pos];
          }
          cur[pos] = idx;
        }
      }
      maps[j] = map;
      parent[j] = Arrays.copyOf(par, map.size());
    }

    // Distinct n-grams per context length, top order with raw counts, lower orders with
    // continuation counts (distinct left extensions).
    long[][] keys = new long[order][];
    int[][] counts = new int[order][];
    {
      long[] all = new long[p];
      int[] top = ctx[maxCtx];
      for (int i = 0; i < p; i++) {
        all[i] = ((long) top[i] << 32) | target[i];
      }
      Arrays.sort(all);
      runLength(all, all.length, keys, counts, maxCtx);
    }
    for (int j = maxCtx - 1; j >= 0; j--) {
      long[] up = keys[j + 1];
      long[] suffix = new long[up.length];
      int[] par = parent[j + 1];
      for (int i = 0; i < up.length; i++) {
        suffix[i] = ((long) par[(int) (up[i] >>> 32)] << 32) | (up[i] & 0xffff_ffffL);
      }
      Arrays.sort(suffix);
      runLength(suffix, suffix.length, keys, counts, j);
    }

    double[] discounts = new double[order];
    for (int j = 0; j <= maxCtx; j++) {
      discounts[j] = discount(counts[j]);
    }

    // Unigram level: continuation counts, interpolated with the uniform law over the id space.
    double[] p1 = new double[types];
    double total = 0;
    int seen = 0;
    for (int i = 0; i < keys[0].length; i++) {
      total += counts[0][i];
      seen++;
    }
    double d1 = discounts[0];
    double uniform = d1 * seen / total / vocabSize;
    for (int i = 0; i < keys[0].length; i++) {
      int w = (int) (keys[0][i] & 0xffff_ffffL);
      p1[w] = (counts[0][i] - d1) / total + uniform;
    }
    int[] p1Order = sortByP1(p1, fromCompact, toCompact, vocabSize);

    int[][] succStart = new int[order][];
    int[][] succTok = new int[order][];
    double[][] succAlpha = new double[order][];
    double[][] ctxGamma = new double[order][];
    for (int j = 1; j <= maxCtx; j++) {
      int nCtx = maps[j].size();
      long[] k = keys[j];
      int[] c = counts[j];
      int[] start = new int[nCtx + 1];
      int[] tok = new int[k.length];
      double[] alpha = new double[k.length];
      double[] gamma = new double[nCtx];
      double d = discounts[j];
      for (int i = 0; i < k.length; i++) {
        start[(int) (k[i] >>> 32) + 1]++;
        tok[i] = (int) (k[i] & 0xffff_ffffL);
      }
      for (int h = 0; h < nCtx; h++) {
        start[h + 1] += start[h];
      }
      for (int h = 0; h < nCtx; h++) {
        double sum = 0;
        for (int i = start[h]; i < start[h + 1]; i++) {
          sum += c[i];
        }
        for (int i = start[h]; i < start[h + 1]; i++) {
          alpha[i] = (c[i] - d) / sum;
        }
        gamma[h] = d * (start[h + 1] - start[h]) / sum;
      }
      succStart[j] = start;
      succTok[j] = tok;
      succAlpha[j] = alpha;
      ctxGamma[j] = gamma;
    }
    return new KneserNeyLm(vocabSize, order, toCompact, fromCompact, p1, uniform, p1Order, maps,
        succStart, succTok, succAlpha, ctxGamma, discounts);
  }

  private static void runLength(long[] sorted, int n, long[][] keys, int[][] counts, int level) {
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        distinct++;
      }
    }
    long[] k = new long[distinct];
    int[] c = new int[distinct];
    int d = -1;
    for (int i = 0; i < n; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        k[++d] = sorted[i];
      }
      c[d]++;
    }
    keys[level] = k;
    counts[level] = c;
  }

  /** Ney-Essen-Kneser discount n1 / (n1 + 2 n2), kept inside (0, 1) so every level stays proper. */
  private static double discount(int[] counts) {
    long n1 = 0;
    long n2 = 0;
    for (int c : counts) {
      if (c == 1) {
        n1++;
      } else if (c == 2) {
        n2++;
      }
    }
    if (n1 == 0 || n2 == 0) {
      return 0.5;
    }
    return Math.min(0.95, Math.max(0.05, n1 / (double) (n1 + 2 * n2)));
  }

  private static int[] sortByP1(double[] p1, int[] fromCompact, int[] toCompact, int vocabSize) {
    Integer[] byP1 = new Integer[p1.length - 1];
    for (int c = 1; c < p1.length; c++) {
      byP1[c - 1] = c;
    }
    // Descending p1, ties by ascending id: topCandidates stops early relying on this order.
    Arrays.sort(byP1, (x, y) -> {
      int cmp = Double.compare(p1[y], p1[x]);
      return cmp != 0 ? cmp : Integer.compare(fromCompact[x], fromCompact[y]);
    });
    int[] out = new int[vocabSize];
    int n = 0;
    for (Integer c : byP1) {
      out[n++] = fromCompact[c];
    }
    for (int id = 0; id < vocabSize; id++) {
      if (toCompact[id] < 0) {
        out[n++] = id;
      }
    }
    return out;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int order() {
    return order;
  }

  @Override
  public int typeCount() {
    return fromCompact.length - 1;
  }

  double discount(int contextLength) {
    return discounts[contextLength];
  }

  @Override
  public double probability(int[] context, int len, int token) {
    Checks.context(context, len, vocabSize, order - 1);
    Checks.token(token, vocabSize);
    int[] idx = scratch.get().idx;
    int found = resolve(context, len, idx);
    int w = toCompact[token];
    double pr = w > 0 ? p1[w] : uniform;
    for (int j = 1; j <= found; j++) {
      int h = idx[j];
      double a = 0;
      if (w > 0) {
        int[] tok = succTok[j];
        int at = Arrays.binarySearch(tok, succStart[j][h], succStart[j][h + 1], w);
        if (at >= 0) {
          a = succAlpha[j][at];
        }
      }
      pr = a + ctxGamma[j][h] * pr;
    }
    return pr;
  }

  @Override
  public int topCandidates(int[] context, int len, int k, int[] ids, float[] logits) {
    Checks.context(context, len, vocabSize, order - 1);
    int n = Checks.candidates(k, vocabSize, ids, logits);
    Scratch s = scratch.get();
    double g = accumulate(context, len, s);
    double[] acc = s.acc;
    int[] touched = s.touched;
    int nt = s.touchedCount;
    // Pool: every touched type plus the n best untouched ids by p1 (their value is g * p1).
    s.heapSize = 0;
    for (int i = 0; i < nt; i++) {
      int c = touched[i];
      s.offer(fromCompact[c], acc[c] + g * p1[c], n);
    }
    int taken = 0;
    for (int i = 0; i < vocabSize && taken < n; i++) {
      int id = p1Order[i];
      int c = toCompact[id];
      if (c > 0 && s.stamp[c] == s.epoch) {
        continue;
      }
      double v = g * (c > 0 ? p1[c] : uniform);
      if (s.heapSize == n && v <= s.heapVal[0]) {
        break; // p1Order is descending: nothing later can enter the heap
      }
      s.offer(id, v, n);
      taken++;
    }
    int m = s.heapSize;
    for (int i = 0; i < m; i++) {
      ids[i] = s.heapId[i];
      logits[i] = (float) Math.log(s.heapVal[i]);
    }
    return m;
  }

  @Override
  public int argmax(int[] context, int len) {
    Checks.context(context, len, vocabSize, order - 1);
    Scratch s = scratch.get();
    double g = accumulate(context, len, s);
    int best = -1;
    double bestVal = -1;
    for (int i = 0; i < vocabSize; i++) {
      int id = p1Order[i];
      int c = toCompact[id];
      if (c > 0 && s.stamp[c] == s.epoch) {
        continue;
      }
      best = id;
      bestVal = g * (c > 0 ? p1[c] : uniform);
      break;
    }
    for (int i = 0; i < s.touchedCount; i++) {
      int c = s.touched[i];
      double v = s.acc[c] + g * p1[c];
      int id = fromCompact[c];
      if (v > bestVal || (v == bestVal && id < best)) {
        bestVal = v;
        best = id;
      }
    }
    return best;
  }

  @Override
  public void logits(int[] context, int len, float[] out, int off) {
    Checks.context(context, len, vocabSize, order - 1);
    Checks.range("out", out.length, off, vocabSize);
    Scratch s = scratch.get();
    double g = accumulate(context, len, s);
    Arrays.fill(out, off, off + vocabSize, (float) Math.log(g * uniform));
    for (int c = 1; c < fromCompact.length; c++) {
      double v = g * p1[c] + (s.stamp[c] == s.epoch ? s.acc[c] : 0);
      out[off + fromCompact[c]] = (float) Math.log(v);
    }
  }

  /**
   * Finds the context indices of the longest seen suffix: idx[j] for j in [1, found].
   */
  private int resolve(int[] context, int len, int[] idx) {
    int prev = 0;
    int found = 0;
    for (int j = 1; j < order; j++) {
      int tok = len - j >= 0 ? toCompact[context[len - j]] : BOS;
      if (tok < 0) {
        break;
      }
      int h = ctxMap[j].get(((long) prev << 32) | tok);
      if (h < 0) {
        break;
      }
      idx[j] = h;
      prev = h;
      found = j;
    }
    return found;
  }

  /** Fills the sparse part into s.acc (touched types stamped) and returns G. */
  private double accumulate(int[] context, int len, Scratch s) {
    int found = resolve(context, len, s.idx);
    s.nextEpoch();
    double g = 1;
    for (int j = found; j >= 1; j--) {
      int h = s.idx[j];
      int[] tok = succTok[j];
      double[] alpha = succAlpha[j];
      for (int i = succStart[j][h], end = succStart[j][h + 1]; i < end; i++) {
        s.add(tok[i], g * alpha[i]);
      }
      g *= ctxGamma[j][h];
    }
    return g;
  }

  /** Per-thread buffers; the stamp array makes clearing O(touched). */
  private static final class Scratch {
    final double[] acc;
    final int[] stamp;
    final int[] idx;
    int[] touched;
    int touchedCount;
    int epoch;
    int[] heapId = new int[64];
    double[] heapVal = new double[64];
    int heapSize;

    Scratch(int types, int order) {
      acc = new double[types];
      stamp = new int[types];
      idx = new int[order];
      touched = new int[256];
    }

    void nextEpoch() {
      touchedCount = 0;
      if (++epoch == Integer.MAX_VALUE) {
        Arrays.fill(stamp, 0);
        epoch = 1;
      }
    }

    void add(int c, double v) {
      if (stamp[c] != epoch) {
        stamp[c] = epoch;
        acc[c] = v;
        if (touchedCount == touched.length) {
          touched = Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = c;
      } else {
        acc[c] += v;
      }
    }

    /** Min-heap of the n largest values seen. */
    void offer(int id, double v, int n) {
      if (heapSize < n) {
        if (heapSize == heapId.length) {
          heapId = Arrays.copyOf(heapId, heapSize * 2);
          heapVal = Arrays.copyOf(heapVal, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
          int up = (i - 1) >>> 1;
          if (heapVal[up] <= v) {
            break;
          }
          heapId[i] = heapId[up];
          heapVal[i] = heapVal[up];
          i = up;
        }
        heapId[i] = id;
        heapVal[i] = v;
      } else if (v > heapVal[0]) {
        int i = 0;
        while (true) {
          int l = 2 * i + 1;
          if (l >= heapSize) {
            break;
          }
          int r = l + 1;
          int m = r < heapSize && heapVal[r] < heapVal[l] ? r : l;
          if (heapVal[m] >= v) {
            break;
          }
          heapId[i] = heapId[m];
          heapVal[i] = heapVal[m];
          i = m;
        }
        heapId[i] = id;
        heapVal[i] = v;
      }
    }
  }
}
