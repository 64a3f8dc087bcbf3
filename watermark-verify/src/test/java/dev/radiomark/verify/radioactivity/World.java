package dev.radiomark.verify.radioactivity;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A synthetic language world without any real LM: a bigram "base" model over V = 2000 tokens
 * whose rows have 64 random successors with Zipf(1) weights; a watermarked "teacher" that samples
 * the base model through the core green-list {@link Sampler} (h = 1, gamma 0.25, delta 2); and
 * "students": bigram counts estimated from human text (sampled from the base) plus a fraction rho
 * of teacher text.
 */
final class World {
  static final int V = 2000;
  static final int SUPPORT = 64;
  static final int PROMPT = 8;
  static final int ANSWER = 128;
  static final WatermarkSpec SPEC = WatermarkSpec.greenList("synthetic", V)
      .withGamma(0.25).withDelta(2.0).withContextWidth(1);

  final int[][] ids = new int[V][SUPPORT];
  final float[][] logits = new float[V][SUPPORT];
  private final double[] cum = new double[SUPPORT];

  World(long seed) {
    UniformRandomProvider r = rng(seed);
    double total = 0;
    for (int k = 0; k < SUPPORT; k++) {
      total += 1.0 / (k + 1);
      cum[k] = total;
    }
    for (int k = 0; k < SUPPORT; k++) {
      cum[k] /= total;
    }
    int[] perm = new int[V];
    for (int i = 0; i < V; i++) {
      perm[i] = i;
    }
    for (int row = 0; row < V; row++) {
      for (int k = 0; k < SUPPORT; k++) {
        int j = k + r.nextInt(V - k);
        int tmp = perm[k];
        perm[k] = perm[j];
        perm[j] = tmp;
        ids[row][k] = perm[k];
        logits[row][k] = (float) -Math.log(k + 1);
      }
    }
  }

  static UniformRandomProvider rng(long seed) {
    return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
  }

  /** A key with a secret drawn from a seeded generator (tests only; real keys use SecureRandom). */
  static WatermarkKey key(String id, long seed) {
    byte[] s = new byte[32];
    rng(seed).nextBytes(s);
    return WatermarkKey.of(id, s);
  }

  static Watermarker watermarker(WatermarkKey key) {
    return Watermarker.of(key, SPEC);
  }

  int human(int prev, UniformRandomProvider r) {
    double u = r.nextDouble();
    int k = 0;
    while (k < SUPPORT - 1 && cum[k] < u) {
      k++;
    }
    return ids[prev][k];
  }

  static int[] randomPrompt(UniformRandomProvider r) {
    int[] p = new int[PROMPT];
    for (int i = 0; i < PROMPT; i++) {
      p[i] = r.nextInt(V);
    }
    return p;
  }

  /** Human answers (prompt + continuation sampled from the base model). */
  List<Answer> humanAnswers(int count, long seed) {
    UniformRandomProvider r = rng(seed);
    List<Answer> out = new ArrayList<>();
    for (int a = 0; a < count; a++) {
      int[] p = randomPrompt(r);
      int[] t = new int[ANSWER];
      int prev = p[PROMPT - 1];
      for (int i = 0; i < ANSWER; i++) {
        t[i] = human(prev, r);
        prev = t[i];
      }
      out.add(new Answer(p, t));
    }
    return out;
  }

  /** Watermarked teacher answers to random prompts. */
  List<Answer> teacherAnswers(Watermarker wm, int count, long seed) {
    UniformRandomProvider r = rng(seed);
    Sampler s = wm.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(r);
    List<Answer> out = new ArrayList<>();
    int[] buf = new int[PROMPT + ANSWER];
    for (int a = 0; a < count; a++) {
      int[] p = randomPrompt(r);
      System.arraycopy(p, 0, buf, 0, PROMPT);
      for (int len = PROMPT; len < PROMPT + ANSWER; len++) {
        int prev = buf[len - 1];
        buf[len] = s.sampleCandidates(ids[prev], logits[prev], SUPPORT, buf, len, st);
      }
      out.add(new Answer(p, java.util.Arrays.copyOfRange(buf, PROMPT, PROMPT + ANSWER)));
    }
    return out;
  }

  /** A watermarked text of the given length (a probe for reading mode). */
  int[] teacherText(Watermarker wm, int length, long seed) {
    UniformRandomProvider r = rng(seed);
    Sampler s = wm.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(r);
    int[] buf = new int[length];
    buf[0] = r.nextInt(V);
    for (int len = 1; len < length; len++) {
      int prev = buf[len - 1];
      buf[len] = s.sampleCandidates(ids[prev], logits[prev], SUPPORT, buf, len, st);
    }
    return buf;
  }

  /** A student: bigram counts over the answers (prompt's last token to answer included). */
  Student student(List<Answer> corpus) {
    int[][] counts = new int[V][SUPPORT];
    int[][] index = successorIndex();
    for (Answer a : corpus) {
      int prev = a.prompt()[a.prompt().length - 1];
      for (int t : a.text()) {
        int k = index[prev][t];
        if (k >= 0) {
          counts[prev][k]++;
        }
        prev = t;
      }
    }
    return new Student(this, counts);
  }

  private int[][] index;

  /** index[row][token]: the successor slot of token in row, or -1. */
  private synchronized int[][] successorIndex() {
    if (index == null) {
      index = new int[V][];
      for (int row = 0; row < V; row++) {
        index[row] = new int[V];
        java.util.Arrays.fill(index[row], -1);
        for (int k = 0; k < SUPPORT; k++) {
          index[row][ids[row][k]] = k;
        }
      }
    }
    return index;
  }

  /** A bigram model estimated from counts; a {@link SuspectModel} through its logits. */
  static final class Student implements SuspectModel {
    final World world;
    final int[][] counts;

    Student(World world, int[][] counts) {
      this.world = world;
      this.counts = counts;
    }

    @Override
    public int vocabSize() {
      return V;
    }

    @Override
    public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
      java.util.Arrays.fill(out, 0, batch * V, Float.NEGATIVE_INFINITY);
      for (int b = 0; b < batch; b++) {
        int prev = contexts[b][lens[b] - 1];
        for (int k = 0; k < SUPPORT; k++) {
          // tiny smoothing keeps unseen successors possible; ties go to the lower id
          out[b * V + world.ids[prev][k]] = (float) Math.log(counts[prev][k] + 1e-3);
        }
      }
    }

    /** Fast path: the argmax of the counts, lowest id among ties (as the default would pick). */
    @Override
    public void top1(int[][] contexts, int[] lens, int batch, int[] out) {
      for (int b = 0; b < batch; b++) {
        int prev = contexts[b][lens[b] - 1];
        int best = -1;
        int bestCount = -1;
        for (int k = 0; k < SUPPORT; k++) {
          int c = counts[prev][k];
          int id = world.ids[prev][k];
          if (c > bestCount || (c == bestCount && id < best)) {
            best = id;
            bestCount = c;
          }
        }
        out[b] = best;
      }
    }

    /** The same model through its logits only (exercises the default top1). */
    SuspectModel logitsOnly() {
      Student self = this;
      return new SuspectModel() {
        @Override
        public int vocabSize() {
          return V;
        }

        @Override
        public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
          self.nextTokenLogits(contexts, lens, batch, out);
        }
      };
    }

    /** Samples the next token from the counts at a temperature (add-1e-3 smoothing). */
    int sample(int prev, double temperature, UniformRandomProvider r, double[] w) {
      double total = 0;
      for (int k = 0; k < SUPPORT; k++) {
        total += Math.pow(counts[prev][k] + 1e-3, 1 / temperature);
        w[k] = total;
      }
      double u = r.nextDouble() * total;
      int k = 0;
      while (k < SUPPORT - 1 && w[k] < u) {
        k++;
      }
      return world.ids[prev][k];
    }

    /** The student's answers to random prompts (or to given prompts when not null). */
    List<Answer> answers(int count, double temperature, long seed) {
      UniformRandomProvider r = rng(seed);
      double[] w = new double[SUPPORT];
      List<Answer> out = new ArrayList<>();
      for (int a = 0; a < count; a++) {
        int[] p = randomPrompt(r);
        int[] t = new int[ANSWER];
        int prev = p[PROMPT - 1];
        for (int i = 0; i < ANSWER; i++) {
          t[i] = sample(prev, temperature, r, w);
          prev = t[i];
        }
        out.add(new Answer(p, t));
      }
      return out;
    }

    /** Continues a token sequence by {@code n} sampled tokens. */
    int[] continueFrom(int prev, int n, double temperature, UniformRandomProvider r) {
      double[] w = new double[SUPPORT];
      int[] t = new int[n];
      for (int i = 0; i < n; i++) {
        t[i] = sample(prev, temperature, r, w);
        prev = t[i];
      }
      return t;
    }
  }

  /**
   * An innocent suspect that copies from its context (an "induction head"): if its last token
   * occurred earlier in the context, it predicts the token that followed; otherwise it defers to
   * a clean bigram model. It never saw watermarked text in training.
   */
  static SuspectModel copying(SuspectModel fallback) {
    return new SuspectModel() {
      @Override
      public int vocabSize() {
        return V;
      }

      @Override
      public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
        throw new UnsupportedOperationException("top1 only");
      }

      @Override
      public void top1(int[][] contexts, int[] lens, int batch, int[] out) {
        fallback.top1(contexts, lens, batch, out);
        for (int b = 0; b < batch; b++) {
          int[] c = contexts[b];
          int last = c[lens[b] - 1];
          for (int j = lens[b] - 2; j >= 0; j--) {
            if (c[j] == last) {
              out[b] = c[j + 1];
              break;
            }
          }
        }
      }
    };
  }

  static List<Answer> concat(List<Answer> a, List<Answer> b) {
    List<Answer> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
