package dev.radiomark.examples.lm;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Feed-forward model: input ids (0 = beginning of sequence, 1 = outside the output vocabulary,
 * 2 + c = output class c) are embedded, concatenated, passed through {@code tanh(x W1 + b1)} and
 * a softmax {@code h W2 + b2} over the output classes.
 *
 * <p>Training uses hand-written backpropagation and Adam (Kingma and Ba 2015). The parameters
 * live in Java arrays; each step hands the five matrix products to ND4J gemm and does the
 * element-wise work (softmax, tanh, gradients of the biases, Adam) in fused Java loops, because
 * chains of ND4J element-wise ops on the batch-by-vocabulary matrix cost more than the products. Single-context queries run in
 * plain Java on copies of the weights (an ND4J call costs more in overhead than the whole
 * matrix-vector product); {@link #argmaxBatch} uses ND4J gemm.
 */
final class FeedForwardLm implements NeuralModel {

  private static final int IN_BOS = 0;
  private static final int IN_OOV = 1;
  private static final int BATCH_ROWS = 2048;

  private final int vocabSize;
  private final int contextSize;
  private final int embDim;
  private final int hidden;
  private final int outV;
  /** Output class to token id. */
  private final int[] classToken;
  /** Token id to input id (IN_OOV for tokens outside the output vocabulary). */
  private final int[] tokenInput;
  private final float[] emb;
  private final float[] w1;
  private final float[] b1;
  /** [hidden][outV], row-major: the single-context product is a run of axpy loops. */
  private final float[] w2;
  private final float[] b2;
  private final INDArray w1Nd;
  private final INDArray b1Nd;
  private final INDArray w2Nd;
  private final INDArray b2Nd;
  private final ThreadLocal<Scratch> scratch;
  private final double lastLoss;

  private FeedForwardLm(int vocabSize, NeuralConfig cfg, int[] classToken, int[] tokenInput,
      float[] emb, INDArray w1, INDArray b1, INDArray w2, INDArray b2, double lastLoss) {
    this.vocabSize = vocabSize;
    this.contextSize = cfg.contextSize();
    this.embDim = cfg.embeddingDim();
    this.hidden = cfg.hiddenDim();
    this.outV = classToken.length;
    this.classToken = classToken;
    this.tokenInput = tokenInput;
    this.emb = emb;
    this.w1Nd = w1;
    this.b1Nd = b1;
    this.w2Nd = w2;
    this.b2Nd = b2;
    this.w1 = flat(w1);
    this.b1 = flat(b1);
    this.w2 = flat(w2);
    this.b2 = flat(b2);
    this.lastLoss = lastLoss;
    int in = contextSize * embDim;
    int h = hidden;
    int o = outV;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(in, h, o));
  }

  static FeedForwardLm train(NeuralConfig cfg, int[][] data, int vocabSize, long seed) {
    long[] freq = new long[vocabSize];
    long total = 0;
    Checks.data(data, vocabSize);
    // Budget first, then vocabulary: the model only learns from the tokens it is given.
    int budget = cfg.maxTrainTokens();
    int used = 0;
    for (int s = 0; s < data.length && used < budget; s++) {
      int[] seq = data[s];
      for (int t = 0; t < seq.length && used < budget; t++, used++) {
        freq[seq[t]]++;
        total++;
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException("data has no tokens: 0");
    }
    int[] classToken = topTokens(freq, cfg.outputVocab());
    int outV = classToken.length;
    int[] tokenInput = new int[vocabSize];
    Arrays.fill(tokenInput, IN_OOV);
    for (int c = 0; c < outV; c++) {
      tokenInput[classToken[c]] = c + 2;
    }

    int ctx = cfg.contextSize();
    int[] exIn = new int[used * ctx];
    int[] exTarget = new int[used];
    int n = 0;
    {
      int seen = 0;
      for (int s = 0; s < data.length && seen < used; s++) {
        int[] seq = data[s];
        for (int t = 0; t < seq.length && seen < used; t++, seen++) {
          int target = tokenInput[seq[t]] - 2;
          if (target < 0) {
            continue; // never predicted, so never trained on as a target
          }
          for (int j = 1; j <= ctx; j++) {
            exIn[n * ctx + j - 1] = t - j >= 0 ? tokenInput[seq[t - j]] : IN_BOS;
          }
          exTarget[n++] = target;
        }
      }
    }

    Nd4j.getRandom().setSeed(seed);
    SplittableRandom rng = new SplittableRandom(seed);
    int e = cfg.embeddingDim();
    int h = cfg.hiddenDim();
    int in = ctx * e;
    int inVocab = outV + 2;
    float[] emb = uniform(rng, inVocab * e, 0.1);
    float[] w1 = uniform(rng, in * h, Math.sqrt(6.0 / (in + h)));
    float[] b1 = new float[h];
    float[] w2 = uniform(rng, h * outV, Math.sqrt(6.0 / (h + outV)));
    // Starting at the unigram log-frequencies saves the first few hundred steps.
    float[] b2 = new float[outV];
    for (int c = 0; c < outV; c++) {
      b2[c] = (float) Math.log(freq[classToken[c]] / (double) total);
    }
    Adam adam = new Adam(cfg.learningRate(), emb, w1, b1, w2, b2);

    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    double loss = Double.NaN;
    int bs = Math.min(cfg.batchSize(), Math.max(1, n));
    // ND4J does only the matrix products, into arrays allocated once (a native allocation per
    // product cost more than the products); element-wise work (softmax, tanh, Adam) is fused Java
    // loops, measured ~10x cheaper than chains of ND4J element-wise ops here. The last, short batch
    // is padded with zero rows, which add nothing to any gradient.
    Gemm xs = new Gemm(bs, in);
    Gemm w1g = new Gemm(in, h);
    Gemm w2g = new Gemm(h, outV);
    Gemm z1 = new Gemm(bs, h);
    Gemm actNd = new Gemm(bs, h);
    Gemm zNd = new Gemm(bs, outV);
    Gemm gw2 = new Gemm(h, outV);
    Gemm dzOut = new Gemm(bs, h);
    Gemm dzNd = new Gemm(bs, h);
    Gemm gw1 = new Gemm(in, h);
    Gemm dxNd = new Gemm(bs, in);
    float[] x = new float[bs * in];
    int[] rows = new int[bs * ctx];
    int[] tgt = new int[bs];
    float[] act = new float[bs * h];
    float[] z = new float[bs * outV];
    float[] dz = new float[bs * h];
    float[] dx = new float[bs * in];
    for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
      double lossSum = 0;
      for (int from = 0; from < n; from += bs) {
        int b = Math.min(bs, n - from);
        for (int r = 0; r < b; r++) {
          int ex = perm[from + r];
          tgt[r] = exTarget[ex];
          for (int j = 0; j < ctx; j++) {
            int id = exIn[ex * ctx + j];
            rows[r * ctx + j] = id;
            System.arraycopy(emb, id * e, x, r * in + j * e, e);
          }
        }
        Arrays.fill(x, b * in, bs * in, 0f);
        xs.put(x);
        w1g.put(w1);
        w2g.put(w2);
        z1.product(xs, false, w1g, false).get(act);
        for (int r = 0; r < b; r++) {
          for (int j = 0; j < h; j++) {
            act[r * h + j] = tanh(act[r * h + j] + b1[j]);
          }
        }
        Arrays.fill(act, b * h, bs * h, 0f);
        actNd.put(act);
        zNd.product(actNd, false, w2g, false).get(z);
        float[] gb2 = adam.grad(4);
        Arrays.fill(gb2, 0f);
        float invB = 1f / b;
        for (int r = 0; r < b; r++) {
          int off = r * outV;
          float max = Float.NEGATIVE_INFINITY;
          for (int c = 0; c < outV; c++) {
            float v = z[off + c] + b2[c];
            z[off + c] = v;
            max = Math.max(max, v);
          }
          double sum = 0;
          for (int c = 0; c < outV; c++) {
            float ex = (float) Math.exp(z[off + c] - max);
            z[off + c] = ex;
            sum += ex;
          }
          lossSum += Math.log(sum) - (Math.log(z[off + tgt[r]]));
          float scale = (float) (invB / sum);
          for (int c = 0; c < outV; c++) {
            z[off + c] *= scale;
          }
          z[off + tgt[r]] -= invB;
          for (int c = 0; c < outV; c++) {
            gb2[c] += z[off + c];
          }
        }
        Arrays.fill(z, b * outV, bs * outV, 0f);
        zNd.put(z); // now the gradient of the loss with respect to the logits
        gw2.product(actNd, true, zNd, false).get(adam.grad(3));
        dzOut.product(zNd, false, w2g, true).get(dz);
        float[] gb1 = adam.grad(2);
        Arrays.fill(gb1, 0f);
        for (int r = 0; r < b; r++) {
          for (int j = 0; j < h; j++) {
            float a = act[r * h + j];
            float d = dz[r * h + j] * (1 - a * a);
            dz[r * h + j] = d;
            gb1[j] += d;
          }
        }
        Arrays.fill(dz, b * h, bs * h, 0f);
        dzNd.put(dz);
        gw1.product(xs, true, dzNd, false).get(adam.grad(1));
        dxNd.product(dzNd, false, w1g, true).get(dx);
        float[] embG = adam.grad(0);
        Arrays.fill(embG, 0f);
        for (int r = 0; r < b; r++) {
          for (int j = 0; j < ctx; j++) {
            int base = rows[r * ctx + j] * e;
            int src = r * in + j * e;
            for (int k = 0; k < e; k++) {
              embG[base + k] += dx[src + k];
            }
          }
        }
        adam.step();
      }
      loss = lossSum / n;
    }
    INDArray w1Nd = Nd4j.create(w1, new long[] {in, h}, 'c');
    INDArray b1Nd = Nd4j.create(b1, new long[] {1, h}, 'c');
    INDArray w2Nd = Nd4j.create(w2, new long[] {h, outV}, 'c');
    INDArray b2Nd = Nd4j.create(b2, new long[] {1, outV}, 'c');
    return new FeedForwardLm(vocabSize, cfg, classToken, tokenInput, emb, w1Nd, b1Nd, w2Nd, b2Nd,
        loss);
  }
  /** The outputVocab most frequent ids with nonzero count, by count then id. */
  private static int[] topTokens(long[] freq, int k) {
    int nz = 0;
    for (long f : freq) {
      if (f > 0) {
        nz++;
      }
    }
    long[] packed = new long[nz];
    int j = 0;
    for (int id = 0; id < freq.length; id++) {
      if (freq[id] > 0) {
        // Count in the high bits (descending via complement), id in the low 20 bits.
        packed[j++] = ((Long.MAX_VALUE >>> 20) - freq[id]) << 20 | id;
      }
    }
    Arrays.sort(packed);
    int m = Math.min(k, nz);
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = (int) (packed[i] & 0xfffff);
    }
    return out;
  }

  /** Row-major copy of all elements (toFloatVector() refuses matrices in 1.0.0-M2.1). */
  private static float[] flat(INDArray a) {
    INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    float[] out = c.data().asFloat();
    return out.length == c.length() ? out : Arrays.copyOf(out, (int) c.length());
  }

  private static float[] uniform(SplittableRandom rng, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
    }
    return a;
  }

  /** Mean training cross-entropy (nats) over the last epoch, for the notes. */
  double lastLoss() {
    return lastLoss;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int contextSize() {
    return contextSize;
  }

  @Override
  public int outputVocabSize() {
    return outV;
  }

  @Override
  public int topCandidates(int[] context, int len, int k, int[] ids, float[] logits) {
    Checks.context(context, len, vocabSize, contextSize);
    int n = Checks.candidates(k, outV, ids, logits);
    Scratch s = scratch.get();
    float[] out = forward(context, len, s);
    double lse = logSumExp(out);
    // Min-heap of the n best classes.
    int size = 0;
    for (int c = 0; c < outV; c++) {
      float v = out[c];
      if (size < n) {
        int i = size++;
        while (i > 0) {
          int up = (i - 1) >>> 1;
          if (out[ids[up]] <= v) {
            break;
          }
          ids[i] = ids[up];
          i = up;
        }
        ids[i] = c;
      } else if (v > out[ids[0]]) {
        int i = 0;
        while (true) {
          int l = 2 * i + 1;
          if (l >= size) {
            break;
          }
          int r = l + 1;
          int m = r < size && out[ids[r]] < out[ids[l]] ? r : l;
          if (out[ids[m]] >= v) {
            break;
          }
          ids[i] = ids[m];
          i = m;
        }
        ids[i] = c;
      }
    }
    for (int i = 0; i < n; i++) {
      int c = ids[i];
      logits[i] = (float) (out[c] - lse);
      ids[i] = classToken[c];
    }
    return n;
  }

  @Override
  public int argmax(int[] context, int len) {
    Checks.context(context, len, vocabSize, contextSize);
    float[] out = forward(context, len, scratch.get());
    int best = 0;
    for (int c = 1; c < outV; c++) {
      if (out[c] > out[best]) {
        best = c;
      }
    }
    return classToken[best];
  }

  @Override
  public void logits(int[] context, int len, float[] out, int off) {
    Checks.context(context, len, vocabSize, contextSize);
    Checks.range("out", out.length, off, vocabSize);
    float[] z = forward(context, len, scratch.get());
    double lse = logSumExp(z);
    Arrays.fill(out, off, off + vocabSize, FLOOR_LOGIT);
    for (int c = 0; c < outV; c++) {
      out[off + classToken[c]] = (float) (z[c] - lse);
    }
  }

  @Override
  public void argmaxBatch(int[][] contexts, int[] lens, int[] out) {
    if (contexts.length != lens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "lens.length is not contexts.length = %d: %d", contexts.length, lens.length));
    }
    if (out.length < contexts.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "out.length is not >= contexts.length = %d: %d", contexts.length, out.length));
    }
    for (int i = 0; i < contexts.length; i++) {
      Checks.context(contexts[i], lens[i], vocabSize, contextSize);
    }
    int in = contextSize * embDim;
    for (int from = 0; from < contexts.length; from += BATCH_ROWS) {
      int b = Math.min(BATCH_ROWS, contexts.length - from);
      float[] x = new float[b * in];
      for (int r = 0; r < b; r++) {
        embed(contexts[from + r], lens[from + r], x, r * in);
      }
      INDArray xs = Nd4j.create(x, new long[] {b, in}, 'c');
      INDArray act = Transforms.tanh(xs.mmul(w1Nd).addiRowVector(b1Nd), false);
      INDArray z = act.mmul(w2Nd).addiRowVector(b2Nd);
      long[] best = Nd4j.argMax(z, 1).toLongVector();
      for (int r = 0; r < b; r++) {
        out[from + r] = classToken[(int) best[r]];
      }
    }
  }

  private void embed(int[] context, int len, float[] x, int off) {
    for (int j = 1; j <= contextSize; j++) {
      int id = len - j >= 0 ? tokenInput[context[len - j]] : IN_BOS;
      System.arraycopy(emb, id * embDim, x, off + (j - 1) * embDim, embDim);
    }
  }

  /** Unnormalised output scores for one context, in s.out. */
  private float[] forward(int[] context, int len, Scratch s) {
    float[] x = s.x;
    embed(context, len, x, 0);
    int in = x.length;
    float[] a = s.h;
    System.arraycopy(b1, 0, a, 0, hidden);
    for (int i = 0; i < in; i++) {
      float xi = x[i];
      int row = i * hidden;
      for (int j = 0; j < hidden; j++) {
        a[j] += xi * w1[row + j];
      }
    }
    for (int j = 0; j < hidden; j++) {
      a[j] = tanh(a[j]);
    }
    float[] out = s.out;
    System.arraycopy(b2, 0, out, 0, outV);
    for (int i = 0; i < hidden; i++) {
      float ai = a[i];
      int row = i * outV;
      for (int c = 0; c < outV; c++) {
        out[c] += ai * w2[row + c];
      }
    }
    return out;
  }

  private static double logSumExp(float[] z) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : z) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  private static final class Scratch {
    final float[] x;
    final float[] h;
    final float[] out;

    Scratch(int in, int hidden, int outV) {
      x = new float[in];
      h = new float[hidden];
      out = new float[outV];
    }
  }

  /** tanh through the exponential (an intrinsic; {@code Math.tanh} is not), exact to float precision. */
  private static float tanh(float v) {
    return (float) (1 - 2 / (Math.exp(2.0 * v) + 1));
  }

  /** A float matrix held by ND4J once, filled and read in bulk, and written by products into itself. */
  private static final class Gemm {
    private final INDArray nd;
    private final java.nio.FloatBuffer buf;

    Gemm(int rows, int cols) {
      nd = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, cols);
      buf = nd.data().asNioFloat();
    }

    void put(float[] a) {
      buf.put(0, a, 0, (int) nd.length());
    }

    void get(float[] a) {
      buf.get(0, a, 0, (int) nd.length());
    }

    /** This = op(a) op(b). */
    Gemm product(Gemm a, boolean transA, Gemm b, boolean transB) {
      Nd4j.gemm(a.nd, b.nd, nd, transA, transB, 1.0, 0.0);
      return this;
    }
  }

  /** Adam with bias correction over Java arrays; beta1 0.9, beta2 0.999, epsilon 1e-8. */
  private static final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final float EPS = 1e-8f;
    private final double lr;
    private final float[][] params;
    private final float[][] grads;
    private final float[][] m;
    private final float[][] v;
    private int t;

    Adam(double lr, float[]... params) {
      this.lr = lr;
      this.params = params;
      this.grads = new float[params.length][];
      this.m = new float[params.length][];
      this.v = new float[params.length][];
      for (int i = 0; i < params.length; i++) {
        grads[i] = new float[params[i].length];
        m[i] = new float[params[i].length];
        v[i] = new float[params[i].length];
      }
    }

    /** The gradient buffer of parameter i, to be filled before step(). */
    float[] grad(int i) {
      return grads[i];
    }

    void step() {
      t++;
      float s = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t)));
      float b1 = (float) BETA1;
      float b2 = (float) BETA2;
      for (int i = 0; i < params.length; i++) {
        float[] p = params[i];
        float[] g = grads[i];
        float[] mi = m[i];
        float[] vi = v[i];
        for (int j = 0; j < p.length; j++) {
          float gj = g[j];
          mi[j] = b1 * mi[j] + (1 - b1) * gj;
          vi[j] = b2 * vi[j] + (1 - b2) * gj * gj;
          p[j] -= s * mi[j] / ((float) Math.sqrt(vi[j]) + EPS);
        }
      }
    }
  }
}
