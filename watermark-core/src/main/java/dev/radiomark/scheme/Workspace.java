package dev.radiomark.scheme;

import dev.radiomark.DecodeState;
import java.nio.FloatBuffer;
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
  private float[] biasedRow;
  /** Green masks of a sub-block of a row (green list). */
  final long[] greens = new long[RowNucleus.SUB];
  /** The self-seeding table's entries of a sub-block of a row (green list, self-seeding rule). */
  final long[] seedCopy = new long[RowNucleus.SUB];
  /** The tournament's two factors of a layer. */
  final double[] factors = new double[2];
  final double[] hist = new double[RowNucleus.BUCKETS * RowNucleus.LANES];
  /**
   * Tokens of the current row found within the scheme's bias of the running maximum by the pass
   * that finds the maximum (the first {@code near.length} of them).
   */
  final int[] near = new int[256];
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

  /** Logits are read from a buffer in blocks of this many. */
  static final int BLOCK = 4096;

  // The row of the current step: an array slice, or a buffer (heap or direct) read in blocks.
  private float[] rowArray;
  private int rowOffset;
  private FloatBuffer rowBuffer;
  private float[] block;

  void row(float[] array, int offset) {
    rowArray = array;
    rowOffset = offset;
    rowBuffer = null;
  }

  void row(FloatBuffer buffer, int index) {
    rowArray = null;
    rowOffset = index;
    rowBuffer = buffer;
    if (block == null) {
      block = new float[BLOCK];
    }
  }

  /** Length of the block of the row that starts at token {@code first}, of a row of count. */
  int blockLength(int first, int count) {
    return rowBuffer == null ? count - first : Math.min(BLOCK, count - first);
  }

  /** An array that holds the row's tokens [first, first + len) from {@link #blockStart}. */
  float[] block(int first, int len) {
    if (rowBuffer == null) {
      return rowArray;
    }
    rowBuffer.get(rowOffset + first, block, 0, len);
    return block;
  }

  /** Index of token {@code first} in the array {@link #block} returned. */
  int blockStart(int first) {
    return rowBuffer == null ? rowOffset + first : 0;
  }

  /**
   * The biased logits of the current row's candidates by token (green list, full rows): one per
   * token of the vocabulary, allocated on first use.
   */
  float[] biasedRow() {
    if (biasedRow == null) {
      biasedRow = new float[vocabSize];
    }
    return biasedRow;
  }

  /** Logit of token {@code t} of the current row. */
  float at(int t) {
    return rowBuffer == null ? rowArray[rowOffset + t] : rowBuffer.get(rowOffset + t);
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
