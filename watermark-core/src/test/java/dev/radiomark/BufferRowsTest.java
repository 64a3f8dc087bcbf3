package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Rows in {@link FloatBuffer}s (heap at an offset, read-only heap, direct in either byte order)
 * give the tokens and biased logits of the same rows in float arrays.
 */
class BufferRowsTest {
  static final int V = 10_000; // more than two blocks of a direct buffer, and a partial one

  static FloatBuffer[] buffers(float[] row) {
    FloatBuffer heap = FloatBuffer.allocate(row.length + 7);
    heap.position(5);
    heap.put(row);
    heap.position(5).limit(5 + row.length);
    FloatBuffer other = FloatBuffer.allocate(row.length + 5);
    other.position(5);
    FloatBuffer heapSlice = other.slice(); // array offset 5, position 0
    heapSlice.put(row).flip();
    FloatBuffer readOnly = FloatBuffer.wrap(row).asReadOnlyBuffer();
    FloatBuffer little = ByteBuffer.allocateDirect(4 * row.length + 12).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    little.position(3);
    little.put(row);
    little.position(3);
    FloatBuffer big = ByteBuffer.allocateDirect(4 * row.length).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
    big.put(row).flip();
    return new FloatBuffer[] {heap, heapSlice, readOnly, little, big};
  }

  @Test
  void samplersDrawTheSameTokensFromBuffers() {
    float[][] rows = SampledTokensTest.rows(V, 15, new SplittableRandom(5));
    int[] stream = new int[512];
    SplittableRandom r = new SplittableRandom(6);
    for (int i = 0; i < stream.length; i++) {
      stream[i] = r.nextInt(V);
    }
    for (String scheme : SampledTokensTest.SCHEMES) {
      Watermarker wm = SampledTokensTest.watermarker(scheme, V);
      for (SamplingConfig c : SampledTokensTest.CONFIGS) {
        Sampler s = wm == null ? Sampler.plain(V, c) : wm.sampler(c);
        DecodeState ref = s.newState(TestSupport.rng(3));
        DecodeState[] st = new DecodeState[5];
        for (int b = 0; b < st.length; b++) {
          st[b] = s.newState(TestSupport.rng(3));
        }
        for (int i = 0; i < rows.length; i++) {
          int len = i < 2 ? i : 8 + i * 29;
          int expected = s.sample(rows[i], stream, len, ref);
          FloatBuffer[] bufs = buffers(rows[i]);
          for (int b = 0; b < bufs.length; b++) {
            int pos = bufs[b].position();
            int lim = bufs[b].limit();
            assertEquals(expected, s.sample(bufs[b], stream, len, st[b]), scheme + " " + c + " row " + i + " buffer " + b);
            assertEquals(pos, bufs[b].position());
            assertEquals(lim, bufs[b].limit());
          }
        }
      }
    }
  }

  @Test
  void processorBiasesBuffersAsArrays() {
    float[] row = SampledTokensTest.rows(V, 1, new SplittableRandom(8))[0];
    int[] ctx = {3, 1, 4, 1, 5, 9};
    for (WindowRule rule : WindowRule.values()) {
      LogitsProcessor p = Watermarker.of(TestSupport.key(4), TestSupport.spec(Scheme.GREEN_LIST, V, 4, rule)).processor();
      float[] expected = row.clone();
      p.bias(expected, ctx, ctx.length);
      FloatBuffer[] bufs = buffers(row);
      for (int b = 0; b < bufs.length; b++) {
        if (bufs[b].isReadOnly()) {
          FloatBuffer ro = bufs[b];
          assertThrows(java.nio.ReadOnlyBufferException.class, () -> p.bias(ro, ctx, ctx.length));
          continue;
        }
        int pos = bufs[b].position();
        p.bias(bufs[b], ctx, ctx.length);
        assertEquals(pos, bufs[b].position());
        float[] got = new float[V];
        bufs[b].duplicate().get(got);
        assertArrayEquals(expected, got, rule + " buffer " + b);
      }
    }
  }

  @Test
  void wrongWidthIsRejected() {
    Sampler s = Sampler.plain(V, SamplingConfig.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.sample(FloatBuffer.allocate(V - 1), new int[0], 0, s.newState(TestSupport.rng(1))));
    assertTrue(e.getMessage().contains("9999") && e.getMessage().contains("10000"), e.getMessage());
    FloatBuffer nan = ByteBuffer.allocateDirect(4 * V).asFloatBuffer();
    nan.put(V - 3, Float.NaN);
    e = assertThrows(IllegalArgumentException.class, () -> s.sample(nan, new int[0], 0, s.newState(TestSupport.rng(1))));
    assertEquals("logits[9997] is NaN", e.getMessage());
  }
}
