package dev.radiomark.ledger;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import dev.radiomark.Watermarker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The windows of every watermarked response served under one key, in a Guava
 * {@link BloomFilter} of window seeds: bounded memory, safe under concurrent writers (Guava's
 * filter is lock-free and thread-safe for {@code put} and {@code mightContain}), persisted to a
 * versioned file.
 *
 * <p>The supervised radioactivity test keeps only positions whose <em>window</em> is in the
 * ledger. A false positive of the filter admits a window we never served: its tuples are scored
 * like any other, and for an innocent model they are still Bernoulli(gamma), so false positives
 * cost power (diluting the signal with unserved windows), never validity. The filter must
 * never hold (window, token) pairs: selecting tuples by the tokens we served selects green
 * tokens by construction.
 *
 * <p>File format version 1: the ASCII magic {@code RMLEDGER}, a big-endian int version (1), the
 * key id in modified UTF-8 ({@link DataOutputStream#writeUTF}), the spec description, the
 * number of recorded windows (long), then Guava's {@code BloomFilter.writeTo} serialisation.
 */
public final class ServedWindowLedger {
  /** File format version. */
  public static final int VERSION = 1;
  private static final byte[] MAGIC = {'R', 'M', 'L', 'E', 'D', 'G', 'E', 'R'};

  private final String keyId;
  private final String spec;
  private final BloomFilter<Long> filter;
  private final java.util.concurrent.atomic.LongAdder recorded = new java.util.concurrent.atomic.LongAdder();

  private ServedWindowLedger(String keyId, String spec, BloomFilter<Long> filter) {
    this.keyId = keyId;
    this.spec = spec;
    this.filter = filter;
  }

  /**
   * An empty ledger for a watermarker.
   *
   * @param watermarker the watermark whose windows are recorded
   * @param expectedWindows expected number of distinct windows, at least 1
   * @param falsePositiveRate target false-positive rate in (0, 0.5)
   * @return the ledger
   */
  public static ServedWindowLedger create(Watermarker watermarker, long expectedWindows, double falsePositiveRate) {
    if (expectedWindows < 1) {
      throw new IllegalArgumentException("expectedWindows is not in [1, 2^63): " + expectedWindows);
    }
    if (!(falsePositiveRate > 0 && falsePositiveRate < 0.5)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "falsePositiveRate is not in (0, 0.5): %s", falsePositiveRate));
    }
    return new ServedWindowLedger(watermarker.keyId(), watermarker.spec().describe(),
        BloomFilter.create(Funnels.longFunnel(), expectedWindows, falsePositiveRate));
  }

  /**
   * Records the windows under which {@code tokens[from, to)} were generated, that is the window
   * before each of those positions (positions with fewer than h tokens before them have none).
   *
   * @param watermarker the watermark the response was generated with (same key id)
   * @param tokens prompt and response tokens
   * @param from first generated position
   * @param to end of the response
   */
  public void record(Watermarker watermarker, int[] tokens, int from, int to) {
    if (!watermarker.keyId().equals(keyId)) {
      throw new IllegalArgumentException("ledger of key " + keyId + " cannot record windows of key " + watermarker.keyId());
    }
    if (from < 0 || from > to || to > tokens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "range [%d, %d) is not within [0, %d]", from, to, tokens.length));
    }
    int h = watermarker.spec().contextWidth();
    for (int t = Math.max(from, h); t < to; t++) {
      filter.put(watermarker.windowSeed(tokens, t));
      recorded.increment();
    }
  }

  /**
   * Records one window seed.
   *
   * @param windowSeed the seed, from {@link Watermarker#windowSeed}
   */
  public void recordWindow(long windowSeed) {
    filter.put(windowSeed);
    recorded.increment();
  }

  /**
   * Whether the window may have been served (false positives at the configured rate, no false
   * negatives).
   *
   * @param windowSeed window seed
   * @return true if the window may have been recorded
   */
  public boolean mightContain(long windowSeed) {
    return filter.mightContain(windowSeed);
  }

  /** @return the key id this ledger belongs to */
  public String keyId() {
    return keyId;
  }

  /** @return the spec description recorded with the ledger */
  public String specDescription() {
    return spec;
  }

  /** @return windows recorded (with repeats) since creation or loading */
  public long recordedWindows() {
    return recorded.sum();
  }

  /** @return Guava's estimate of the false-positive probability at the current fill */
  public double expectedFalsePositiveRate() {
    return filter.expectedFpp();
  }

  /**
   * Writes the ledger atomically (a temporary file moved over the target).
   *
   * @param path target file
   */
  public void save(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, ".ledger", ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
           DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(keyId);
        out.writeUTF(spec);
        out.writeLong(recorded.sum());
        filter.writeTo(out);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot write ledger: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original error is the one to report
        }
      }
    }
  }

  /**
   * Loads a ledger.
   *
   * @param path the file
   * @return the ledger
   * @throws IllegalArgumentException if the file is not a ledger of a supported version
   */
  public static ServedWindowLedger load(Path path) {
    try (InputStream is = Files.newInputStream(path);
         DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException(path + ": not a ledger file (bad magic)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(path + ": ledger version is not supported: " + version + " (this library reads " + VERSION + ")");
      }
      String keyId = in.readUTF();
      String spec = in.readUTF();
      long count = in.readLong();
      BloomFilter<Long> f;
      try {
        f = BloomFilter.readFrom(in, Funnels.longFunnel());
      } catch (EOFException e) {
        throw e;
      } catch (IOException e) {
        throw new IllegalArgumentException(path + ": ledger file is corrupt: " + e.getMessage(), e);
      }
      ServedWindowLedger l = new ServedWindowLedger(keyId, spec, f);
      l.recorded.add(count);
      return l;
    } catch (EOFException e) {
      throw new IllegalArgumentException(path + ": ledger file is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read ledger: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ServedWindowLedger[key " + keyId + ", " + recorded.sum() + " windows]";
  }
}
