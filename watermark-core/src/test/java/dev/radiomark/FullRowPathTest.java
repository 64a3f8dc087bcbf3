package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The full-row step (maximum, biased maximum from the tokens near the maximum, histogram, gathered
 * nucleus) draws the token that the candidate step draws from the same candidates (every token
 * within the margin, in index order), for the same random stream: rows of the benchmark's shape,
 * rows whose nucleus is one token far above the rest (accepted on the first gather), ascending
 * rows (every token near the running maximum: more than the recorded ones, so the biased maximum
 * reads the whole row), flat rows and rows of tied logits; float arrays and direct buffers; every
 * scheme and window rule that changes the full-row path.
 */
class FullRowPathTest {
  static final int V = 6_000;

  static float[][] rows(SplittableRandom r) {
    float[][] rows = new float[40][V];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      for (int v = 0; v < V; v++) {
        double x = 2.5 * r.nextGaussian();
        switch (i % 5) {
          case 1 -> x = v * 1e-3; // ascending
          case 2 -> x = Math.rint(x); // ties
          case 3 -> x = 0.5; // flat
          default -> { }
        }
        row[v] = (float) x;
      }
      if (i % 5 == 0 || i % 5 == 4) {
        for (int s = 0; s < 8; s++) {
          row[r.nextInt(V)] = (float) (8 + 7 * r.nextDouble());
        }
      }
      if (i % 5 == 4) {
        row[r.nextInt(V)] = 40f; // a nucleus of one token
      }
    }
    return rows;
  }

  @Test
  void fullRowsDrawAsTheirCandidates() {
    float[][] rows = rows(new SplittableRandom(21));
    int[] stream = new int[1_024];
    SplittableRandom r = new SplittableRandom(22);
    for (int i = 0; i < stream.length; i++) {
      stream[i] = r.nextInt(V);
    }
    SamplingConfig[] configs = {
        SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95),
        SamplingConfig.defaults().withTopP(0.5),
        SamplingConfig.defaults().withTemperature(1.3).withTopP(0.999).withMargin(12)};
    int[] ids = new int[V];
    float[] vals = new float[V];
    for (String scheme : SampledTokensTest.SCHEMES) {
      Watermarker wm = SampledTokensTest.watermarker(scheme, V);
      double bias = wm != null && wm.spec().scheme() == Scheme.GREEN_LIST ? (float) wm.spec().delta() : 0.0;
      for (SamplingConfig c : configs) {
        Sampler s = wm == null ? Sampler.plain(V, c) : wm.sampler(c);
        DecodeState full = s.newState(TestSupport.rng(5));
        DecodeState direct = s.newState(TestSupport.rng(5));
        DecodeState cand = s.newState(TestSupport.rng(5));
        FloatBuffer buf = ByteBuffer.allocateDirect(4 * V).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < rows.length; i++) {
          float[] row = rows[i];
          int len = i < 2 ? i : 8 + i * 13;
          float max = Float.NEGATIVE_INFINITY;
          for (float x : row) {
            max = Math.max(max, x);
          }
          float lo = (float) (max - bias - c.margin() * c.temperature());
          int k = 0;
          for (int v = 0; v < V; v++) {
            if (row[v] >= lo) {
              ids[k] = v;
              vals[k++] = row[v];
            }
          }
          int want = s.sampleCandidates(ids, vals, k, stream, len, cand);
          String what = scheme + " " + c + " row " + i;
          assertEquals(want, s.sample(row, stream, len, full), what);
          buf.clear();
          buf.put(row).flip();
          assertEquals(want, s.sample(buf, stream, len, direct), what + " direct buffer");
        }
      }
    }
  }
}
