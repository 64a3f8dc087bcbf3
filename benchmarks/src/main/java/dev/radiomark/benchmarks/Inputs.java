package dev.radiomark.benchmarks;

import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import java.util.SplittableRandom;

/**
 * Shared benchmark inputs: the scheme labels, the sampling configuration and synthetic logits.
 *
 * <p>Logits model: {@code logit_v = 2.5 * N(0, 1)} for every token, then {@link #SPIKES} tokens at
 * random ids get a logit drawn uniformly from [8, 15]. At temperature 0.8 the spikes hold most of
 * the mass (the row is peaked like an LLM's next-token distribution) while the Gaussian bulk
 * keeps a long tail, so top-p 0.95 keeps a few to a few thousand tokens. The bulk lies within
 * the sampler's candidate margin (30 x 0.8 = 24 logit units below the maximum), so the full-row
 * path sees almost the whole vocabulary as candidates: the pessimistic case for the margin
 * pruning, and close to real LLM logits, whose bulk also sits within 24 units of the top.
 */
final class Inputs {
  /** Tokens of each row raised to [8, 15]. */
  static final int SPIKES = 8;
  /** Length of the random token stream contexts are cut from (a power of two). */
  static final int STREAM = 1 << 16;
  /** Steps per simulated sequence: every state is reset after this many steps. */
  static final int SEQUENCE = 1024;
  /** Candidates of the top-k mode. */
  static final int TOP_K = 50;

  private Inputs() {}

  /** Temperature 0.8, top-p 0.95, no top-k, default margin: mirrors the reference run. */
  static SamplingConfig config() {
    return SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95);
  }

  /**
   * The watermark spec of a scheme label, or null for {@code reference} and {@code plain}.
   *
   * @param scheme reference, plain, green-h1, selfhash-h4, gumbel-h4 or tournament-h4
   * @param vocab vocabulary size
   * @return the spec, null for reference and plain
   */
  static WatermarkSpec spec(String scheme, int vocab) {
    switch (scheme) {
      case "reference":
      case "plain":
        return null;
      case "green-h1":
        return WatermarkSpec.greenList("bench", vocab);
      case "selfhash-h4":
        return WatermarkSpec.greenList("bench", vocab).withContextWidth(4)
            .withWindowRule(WindowRule.SELF_SEEDING);
      case "gumbel-h4":
        return WatermarkSpec.gumbel("bench", vocab).withContextWidth(4);
      case "tournament-h4":
        return WatermarkSpec.tournament("bench", vocab).withContextWidth(4);
      default:
        throw new IllegalArgumentException("unknown scheme: " + scheme);
    }
  }

  /** Fills {@code row[off, off + vocab)} with one synthetic logits row. */
  static void fillRow(float[] row, int off, int vocab, SplittableRandom rnd) {
    for (int v = 0; v < vocab; v++) {
      row[off + v] = (float) (2.5 * gaussian(rnd));
    }
    for (int s = 0; s < SPIKES; s++) {
      row[off + rnd.nextInt(vocab)] = (float) (8.0 + 7.0 * rnd.nextDouble());
    }
  }

  /** Random token stream of {@link #STREAM} + 8 ids in [0, vocab). */
  static int[] tokenStream(int vocab, SplittableRandom rnd) {
    int[] t = new int[STREAM + 8];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextInt(vocab);
    }
    return t;
  }

  /** Context length of row {@code b} at step {@code step}: a different window every step. */
  static int contextLength(long step, int b) {
    return 8 + (int) ((step + 8191L * b) & (STREAM - 1));
  }

  private static double gaussian(SplittableRandom rnd) {
    // Marsaglia polar method (one of the pair is enough here).
    double u;
    double v;
    double s;
    do {
      u = 2 * rnd.nextDouble() - 1;
      v = 2 * rnd.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
