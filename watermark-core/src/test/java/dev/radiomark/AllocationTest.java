package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * Steady-state sampling and biasing allocate nothing per token, measured with the thread's
 * allocation counter (com.sun.management.ThreadMXBean). Tolerance: 10,000 bytes over 10,000
 * steps, less than one byte per step, while a single object allocated per step would cost at
 * least 16 bytes per step (160,000 bytes). The tolerance absorbs the JVM's own occasional
 * allocations on this thread (JIT deoptimisation, class loading: about 2 KB seen now and then).
 */
class AllocationTest {
  static final int V = 2000;
  static final int STEPS = 10_000;
  static final long TOLERANCE = STEPS;

  interface Step {
    void run(int i);
  }

  static long allocated(Step step) {
    java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
    assumeTrue(b instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) b;
    assumeTrue(mx.isThreadAllocatedMemorySupported());
    mx.setThreadAllocatedMemoryEnabled(true);
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 2_000; i++) {
      step.run(i); // warm up: buffers grow to the largest candidate set
    }
    long before = mx.getThreadAllocatedBytes(id);
    for (int i = 0; i < STEPS; i++) {
      step.run(i);
    }
    long after = mx.getThreadAllocatedBytes(id);
    // The counter call itself allocates nothing after the first call; measure its own cost anyway.
    long overhead = mx.getThreadAllocatedBytes(id) - after;
    return after - before - overhead;
  }

  /** Contexts of 64 sequences of 128 tokens, reused; each sequence restarts its state. */
  static final int[][] CONTEXTS = new int[64][128];
  static final float[][] LOGITS = new float[16][V];

  static {
    org.apache.commons.rng.UniformRandomProvider r = TestSupport.rng(1);
    for (int[] c : CONTEXTS) {
      for (int i = 0; i < c.length; i++) {
        c[i] = r.nextInt(V);
      }
    }
    for (int i = 0; i < LOGITS.length; i++) {
      TestSupport.modelLogits(LOGITS[i], CONTEXTS[i], 5);
      for (int v = 0; v < V; v++) {
        LOGITS[i][v] *= 200; // a peaked row: about 40 candidates within the margin
      }
    }
  }

  @Test
  void samplersAllocateNothingPerStep() {
    for (Scheme s : Scheme.values()) {
      for (WindowRule rule : new WindowRule[] {WindowRule.ORDERED, WindowRule.SELF_SEEDING}) {
        Watermarker w = Watermarker.of(TestSupport.key(91), TestSupport.spec(s, V, 4, rule));
        for (SamplingConfig c : new SamplingConfig[] {SamplingConfig.defaults(),
            SamplingConfig.defaults().withTopK(50).withTopP(0.9).withTemperature(0.8)}) {
          Sampler sampler = w.sampler(c);
          DecodeState st = sampler.newState(TestSupport.rng(2));
          int[] ids = new int[40];
          float[] vals = new float[40];
          long bytes = allocated(i -> {
            int seq = (i >>> 7) & 63;
            int pos = 4 + (i & 127) % 124;
            if (pos == 4) {
              st.reset();
            }
            int tok = sampler.sample(LOGITS[i & 15], CONTEXTS[seq], pos, st);
            for (int k = 0; k < 40; k++) {
              ids[k] = (tok + k * 37) % V;
              vals[k] = LOGITS[i & 15][ids[k]];
            }
            sampler.sampleCandidates(ids, vals, 40, CONTEXTS[seq], pos, st);
          });
          assertTrue(bytes < TOLERANCE, s + " " + rule + " " + c + ": " + bytes + " bytes over " + STEPS + " steps");
        }
      }
    }
  }

  @Test
  void processorAllocatesNothingPerStep() {
    for (WindowRule rule : WindowRule.values()) {
      LogitsProcessor p = Watermarker.of(TestSupport.key(92), TestSupport.spec(Scheme.GREEN_LIST, V, 4, rule)).processor();
      float[] row = new float[V];
      FloatBuffer direct = ByteBuffer.allocateDirect(4 * V).asFloatBuffer();
      int[] ids = new int[50];
      float[] vals = new float[50];
      for (int k = 0; k < 50; k++) {
        ids[k] = k * 13;
      }
      long bytes = allocated(i -> {
        System.arraycopy(LOGITS[i & 15], 0, row, 0, V);
        p.bias(row, CONTEXTS[i & 63], 4 + (i & 63));
        p.bias(direct, CONTEXTS[i & 63], 4 + (i & 63));
        p.biasCandidates(ids, vals, 50, CONTEXTS[i & 63], 4 + (i & 63));
      });
      assertTrue(bytes < TOLERANCE, rule + ": " + bytes + " bytes over " + STEPS + " steps");
    }
  }
}
