package dev.radiomark.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.LogitsProcessor;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GreenBiasTest {

  /** The in-place bias equals "+delta where green, unchanged elsewhere", bit for bit. */
  @Test
  void biasMatchesGreenListBitForBit() {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (3 * i + 1);
    }
    WatermarkKey key = WatermarkKey.of("test", secret);
    int vocab = 5000;
    float[] specials = {-0.0f, 0.0f, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MAX_VALUE, 1e-30f, -1e30f};
    SplittableRandom r = new SplittableRandom(5);
    for (WatermarkSpec spec : new WatermarkSpec[] {
        WatermarkSpec.greenList("t", vocab),
        WatermarkSpec.greenList("t", vocab).withGamma(0.5).withDelta(3.5),
        WatermarkSpec.greenList("t", vocab).withContextWidth(4).withWindowRule(WindowRule.SELF_SEEDING),
        WatermarkSpec.greenList("t", vocab).withContextWidth(0)}) {
      Watermarker wm = Watermarker.of(key, spec);
      LogitsProcessor p = wm.processor();
      int[] tokens = new int[16];
      for (int trial = 0; trial < 20; trial++) {
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = r.nextInt(vocab);
        }
        float[] row = new float[vocab];
        for (int v = 0; v < vocab; v++) {
          row[v] = v < specials.length ? specials[v] : (float) (3 * r.nextGaussian());
        }
        float[] got = row.clone();
        p.bias(got, tokens, tokens.length);
        long ws = wm.windowSeed(tokens, tokens.length);
        float delta = (float) spec.delta();
        int green = 0;
        for (int v = 0; v < vocab; v++) {
          boolean isGreen = wm.score(ws, v) == 1.0;
          green += isGreen ? 1 : 0;
          float want = isGreen ? row[v] + delta : row[v];
          assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[v]), spec + " v " + v);
        }
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 100, 4999};
        float[] vals = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
          vals[i] = row[ids[i]];
        }
        p.biasCandidates(ids, vals, ids.length, tokens, tokens.length);
        for (int i = 0; i < ids.length; i++) {
          assertEquals(Float.floatToRawIntBits(got[ids[i]]), Float.floatToRawIntBits(vals[i]));
        }
        double frac = green / (double) vocab;
        assertEquals(spec.gamma(), frac, 0.05);
      }
    }
  }
}
