package dev.radiomark.scheme;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The sampling step shared by the plain sampler and every scheme: candidates within the margin,
 * scheme bias, temperature, top-k, top-p, scheme rule. Immutable; scratch lives in the
 * {@link Workspace}.
 */
final class StepSampler implements Sampler {
  private final SchemeCore scheme;
  private final int vocabSize;
  private final String name;
  private final SamplingConfig config;
  private final double invTemperature;

  StepSampler(SchemeCore scheme, int vocabSize, String name, SamplingConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("sampling config is null");
    }
    this.scheme = scheme;
    this.vocabSize = vocabSize;
    this.name = name;
    this.config = config;
    this.invTemperature = 1.0 / config.temperature();
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public DecodeState newState(UniformRandomProvider random) {
    if (random == null) {
      throw new IllegalArgumentException("random is null");
    }
    return new Workspace(random, vocabSize);
  }

  private Workspace workspace(DecodeState state) {
    if (state instanceof Workspace w && w.vocabSize == vocabSize) {
      return w;
    }
    throw new IllegalArgumentException("state was not created by a sampler of vocabulary " + vocabSize);
  }

  @Override
  public int sample(float[] logits, int[] tokens, int len, DecodeState state) {
    if (logits.length != vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "logits row has %d entries but the vocabulary has %d", logits.length, vocabSize));
    }
    Workspace w = workspace(state);
    w.row(logits, 0);
    return sampleRow(tokens, len, w);
  }

  @Override
  public int sample(FloatBuffer logits, int[] tokens, int len, DecodeState state) {
    if (logits.remaining() != vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "logits buffer has %d floats remaining but the vocabulary has %d", logits.remaining(), vocabSize));
    }
    Workspace w = workspace(state);
    if (logits.hasArray()) {
      w.row(logits.array(), logits.arrayOffset() + logits.position());
    } else {
      w.row(logits, logits.position());
    }
    int token = sampleRow(tokens, len, w);
    w.row((float[]) null, 0); // keep no reference to the caller's buffer
    return token;
  }

  @Override
  public void sampleBatch(float[] logits, int batch, int[][] tokens, int[] lens, DecodeState[] states, int[] out) {
    if (batch < 0 || tokens.length < batch || lens.length < batch || states.length < batch || out.length < batch) {
      throw new IllegalArgumentException("batch " + batch + " exceeds the contexts, lengths, states or output given");
    }
    if ((long) batch * vocabSize != logits.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "logits has %d entries, not batch %d x vocabulary %d", logits.length, batch, vocabSize));
    }
    for (int b = 0; b < batch; b++) {
      Workspace w = workspace(states[b]);
      w.row(logits, b * vocabSize);
      out[b] = sampleRow(tokens[b], lens[b], w);
    }
  }

  /** Samples from the row set in {@code w} ({@link Workspace#row}). */
  private int sampleRow(int[] tokens, int len, Workspace w) {
    checkContext(tokens, len);
    int v = vocabSize;
    double bias = scheme == null ? 0.0 : scheme.maxBias();
    float max = Float.NEGATIVE_INFINITY;
    int near = 0;
    if (!(scheme instanceof GreenListScheme)) {
      for (int c = 0, n; c < v; c += n) {
        n = w.blockLength(c, v);
        float[] a = w.block(c, n);
        int b = w.blockStart(c);
        for (int j = 0; j < n; j++) {
          float x = a[b + j];
          if (!(x <= max)) {
            if (x != x) {
              throw new IllegalArgumentException("logits[" + (c + j) + "] is NaN");
            }
            max = x;
          }
        }
      }
    } else {
      // The same pass, recording the tokens within the bias of the maximum so far: they hold
      // every token that the bias can lift to the biased maximum (GreenListScheme.biasedMax).
      float d = (float) bias;
      int[] nearIds = w.near;
      for (int c = 0, n; c < v; c += n) {
        n = w.blockLength(c, v);
        float[] a = w.block(c, n);
        int b = w.blockStart(c);
        for (int j = 0; j < n; j++) {
          float x = a[b + j];
          if (!(x + d < max)) {
            if (x != x) {
              throw new IllegalArgumentException("logits[" + (c + j) + "] is NaN");
            }
            if (x > max) {
              max = x;
            }
            if (near < nearIds.length) {
              nearIds[near] = c + j;
            }
            near++;
          }
        }
      }
    }
    if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("logits row has no finite maximum: " + max);
    }
    float lo = (float) (max - bias - config.margin() * config.temperature());
    if (config.topK() == 0 && config.topP() < 1.0) {
      // Top-p alone: the nucleus straight from the row, without copying or sorting it.
      boolean marked = mark(w, tokens, len);
      GreenListScheme green = marked && scheme instanceof GreenListScheme g ? g : null;
      if (green != null) {
        max = green.biasedMax(w.windowSeed, w, v, max, near);
      }
      return draw(w, RowNucleus.nucleus(v, lo, max, invTemperature, config.topP(), w, green), marked);
    }
    int n = 0;
    for (int c = 0, len1; c < v; c += len1) {
      len1 = w.blockLength(c, v);
      float[] a = w.block(c, len1);
      int b = w.blockStart(c);
      for (int j = 0; j < len1; j++) {
        float x = a[b + j];
        if (x >= lo) {
          if (n == w.ids.length) {
            w.ensure(n + 1);
          }
          w.ids[n] = c + j;
          w.vals[n] = x;
          n++;
        }
      }
    }
    return finish(w, n, tokens, len);
  }

  @Override
  public int sampleCandidates(int[] ids, float[] logits, int k, int[] tokens, int len, DecodeState state) {
    if (k < 1 || k > ids.length || k > logits.length
        || tokens == null || len < 0 || len > tokens.length
        || !(state instanceof Workspace ws && ws.vocabSize == vocabSize)) {
      checkCandidates(ids, logits, k, vocabSize);
      checkContext(tokens, len);
      workspace(state); // throws
    }
    Workspace w = (Workspace) state;
    w.ensure(k);
    // Copy and check in one pass; on a bad entry the checks run again in their order, to throw.
    int[] wIds = w.ids;
    float[] wVals = w.vals;
    int v = vocabSize;
    boolean bad = false;
    for (int i = 0; i < k; i++) {
      int id = ids[i];
      float x = logits[i];
      bad |= id < 0 | id >= v | x != x;
      wIds[i] = id;
      wVals[i] = x;
    }
    if (bad) {
      checkCandidates(ids, logits, k, v);
      for (int i = 0; i < k; i++) {
        if (logits[i] != logits[i]) {
          throw new IllegalArgumentException("candidate logits[" + i + "] is NaN");
        }
      }
    }
    return finish(w, k, tokens, len);
  }

  /**
   * Whether this step is watermarked: a scheme, a full window and (for schemes that mask them)
   * a window not used before in this sequence; stores the window seed in {@code w}.
   */
  private boolean mark(Workspace w, int[] tokens, int len) {
    if (scheme == null || len < scheme.h) {
      return false;
    }
    w.windowSeed = scheme.windowSeed(tokens, len);
    return !scheme.masksRepeatedWindows() || w.firstUse(w.windowSeed);
  }

  private int finish(Workspace w, int n, int[] tokens, int len) {
    int[] ids = w.ids;
    float[] vals = w.vals;
    boolean marked = mark(w, tokens, len);
    if (marked) {
      scheme.biasCandidates(w.windowSeed, ids, vals, n);
    }
    if (config.topK() > 0 && n > config.topK()) {
      Selection.selectTop(ids, vals, n, config.topK());
      n = config.topK();
    }
    double[] p = w.probs;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      // A branch that is rarely taken, not Math.max: no NaN here, and the sign of a zero
      // maximum does not change any exp((x - max) / T).
      if (vals[i] > max) {
        max = vals[i];
      }
    }
    if (max == Float.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("no candidate has a finite logit");
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double e = Math.exp((vals[i] - max) * invTemperature);
      p[i] = e;
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int i = 0; i < n; i++) {
      p[i] *= inv;
    }
    if (config.topP() < 1.0) {
      n = Selection.nucleus(ids, p, n, config.topP());
    }
    return draw(w, n, marked);
  }

  /** Draws among {@code w.ids[0, n)} with probabilities {@code w.probs[0, n)}. */
  private int draw(Workspace w, int n, boolean marked) {
    double[] p = w.probs;
    if (config.topP() < 1.0) {
      // The rules expect normalised p: the tournament's E_p[g] over an unnormalised nucleus
      // is too small and the closed form stops being distortion-free.
      double kept = 0;
      for (int i = 0; i < n; i++) {
        kept += p[i];
      }
      double invKept = 1.0 / kept;
      for (int i = 0; i < n; i++) {
        p[i] *= invKept;
      }
    }
    int chosen = marked ? scheme.pick(w.windowSeed, w.ids, p, n, w) : multinomial(p, n, w.random);
    return w.ids[chosen];
  }

  /** Index drawn with probability proportional to p[i] (p need not be normalised). */
  static int multinomial(double[] p, int n, UniformRandomProvider random) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += p[i];
    }
    double r = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (p[i] > 0) {
        last = i;
        r -= p[i];
        if (r < 0) {
          return i;
        }
      }
    }
    return last;
  }

  static void checkCandidates(int[] ids, float[] logits, int k, int vocabSize) {
    if (k < 1 || k > ids.length || k > logits.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "k is not in [1, %d]: %d", Math.min(ids.length, logits.length), k));
    }
    for (int i = 0; i < k; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "candidate id ids[%d] is not in [0, %d): %d", i, vocabSize, ids[i]));
      }
    }
  }

  private static void checkContext(int[] tokens, int len) {
    if (len < 0 || len > tokens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "context length is not in [0, %d]: %d", tokens.length, len));
    }
  }

  @Override
  public String toString() {
    return "Sampler[" + name + ", " + config + "]";
  }
}
