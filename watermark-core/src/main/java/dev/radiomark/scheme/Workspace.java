package dev.radiomark.scheme;

import dev.radiomark.DecodeState;
import org.apache.commons.rng.UniformRandomProvider;

/** Scratch buffers and repeated-window memory of one sequence. Not thread-safe. */
final class Workspace implements DecodeState {
  final UniformRandomProvider random;
  final int vocabSize;
  int[] ids = new int[256];
  float[] vals = new float[256];
  double[] probs = new double[256];
  private long[] bits = new long[256];
  long[] keys = new long[256];
  final double[] hist = new double[RowNucleus.BUCKETS * RowNucleus.LANES];
  /** Window seed of the current step (valid when the step is watermarked). */
  long windowSeed;
  private final LongSet seenWindows = new LongSet();

  Workspace(UniformRandomProvider random, int vocabSize) {
    this.random = random;
    this.vocabSize = vocabSize;
  }

  /** Makes room for n candidates; grows (allocates) only past the largest n seen so far. */
  void ensure(int n) {
    if (ids.length < n) {
      int cap = Math.max(n, Math.min(vocabSize, ids.length * 2));
      ids = java.util.Arrays.copyOf(ids, cap);
      vals = java.util.Arrays.copyOf(vals, cap);
      probs = new double[cap];
    }
  }

  long[] growKeys() {
    keys = java.util.Arrays.copyOf(keys, Math.min(Math.max(vocabSize, 256), keys.length * 2));
    return keys;
  }

  long[] bits(int n) {
    if (bits.length < n) {
      bits = new long[Math.max(n, bits.length * 2)];
    }
    return bits;
  }

  /** Records a window; false when it was already used in this sequence. */
  boolean firstUse(long windowSeed) {
    return seenWindows.add(windowSeed);
  }

  @Override
  public void reset() {
    seenWindows.clear();
  }

  @Override
  public String toString() {
    return "DecodeState[windows=" + seenWindows.size() + "]";
  }
}
