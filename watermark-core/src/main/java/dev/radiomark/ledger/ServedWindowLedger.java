package dev.radiomark.ledger;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import com.google.common.io.ByteStreams;
import com.google.common.io.CountingInputStream;
import dev.radiomark.Watermarker;
import dev.radiomark.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The windows of every watermarked response served under one key, in a chain of Guava
 * {@link BloomFilter}s of window seeds: bounded memory per window, safe under concurrent writers
 * (Guava's filter is lock-free and thread-safe for {@code put}, {@code putAll} and
 * {@code mightContain}), bound to the key's fingerprint and spec, persisted to a checksummed,
 * versioned file.
 *
 * <p>The supervised radioactivity test keeps only positions whose <em>window</em> is in the
 * ledger. A false positive of the filter admits a window we never served: its tuples are scored
 * like any other, and for an innocent model they are still Bernoulli(gamma), so false positives
 * cost power (diluting the signal with unserved windows), never validity. The filter must
 * never hold (window, token) pairs: selecting tuples by the tokens we served selects green
 * tokens by construction.
 *
 * <p><b>Growth.</b> A ledger created for n windows at rate p starts with one filter of capacity n
 * and target rate p/2. When a filter holds its capacity of distinct windows, a new filter of
 * twice the capacity and half the rate is started (a scalable Bloom filter); a window is a member
 * if any filter may contain it. The compound false-positive rate is
 * {@code 1 - prod(1 - f_i) <= sum f_i < p}, whatever the number of windows. Each filter's distinct
 * windows are counted by Guava's {@code put}, which reports whether the bits changed.
 *
 * <p><b>Merging.</b> {@link #merge} takes in the filters of a ledger of the same key fingerprint
 * and spec (for example one per serving replica): a filter is OR-ed into a compatible one of this
 * ledger when the union stays within capacity, otherwise it is kept as a filter of its own. The
 * estimated rate ({@link #estimatedFalsePositiveRate}) reports the result honestly either way.
 *
 * <p>File format version 2 is defined byte for byte in docs/SPEC.md section 8; the file ends
 * with a SHA-256 of everything before it, and every length is checked against the file size
 * before anything is allocated. Version 1 files are refused by {@link #load} with a message
 * naming the version; {@link #loadVersion1} converts one under a key the caller names.
 *
 * <p><b>Serialization.</b> Java serialization (for example a Spark broadcast variable) writes the
 * bytes of the version 2 file format through a serialization proxy and checks them on arrival as
 * {@link #load} checks a file; a damaged stream fails with {@link java.io.InvalidObjectException}.
 */
public final class ServedWindowLedger implements Serializable {
  private static final long serialVersionUID = 1L;
  /** File format version written and read. */
  public static final int VERSION = 2;
  /** Largest number of filters in one file. */
  public static final int MAX_FILTERS = 4096;
  private static final byte[] MAGIC = {'R', 'M', 'L', 'E', 'D', 'G', 'E', 'R'};
  private static final int FINGERPRINT_BYTES = 16;
  private static final int DIGEST_BYTES = 32;
  /** Guava's strategy ordinal for MURMUR128_MITZ_64, the only one it creates today. */
  private static final int GUAVA_STRATEGY = 1;

  private final String keyId;
  private final String fingerprint;
  private final String spec;
  private final Object lock = new Object();
  private volatile Filter[] filters;
  private final LongAdder recorded = new LongAdder();

  /** One Bloom filter of the chain with its sizing and its count of distinct windows. */
  private static final class Filter {
    final long capacity;
    final double targetFpp;
    final BloomFilter<Long> bloom;
    final AtomicLong distinct;

    Filter(long capacity, double targetFpp, BloomFilter<Long> bloom, long distinct) {
      this.capacity = capacity;
      this.targetFpp = targetFpp;
      this.bloom = bloom;
      this.distinct = new AtomicLong(distinct);
    }

    static Filter create(long capacity, double targetFpp) {
      return new Filter(capacity, targetFpp, BloomFilter.create(Funnels.longFunnel(), capacity, targetFpp), 0);
    }

    Filter copy() {
      return new Filter(capacity, targetFpp, bloom.copy(), distinct.get());
    }
  }

  private ServedWindowLedger(String keyId, String fingerprint, String spec, Filter[] filters) {
    this.keyId = keyId;
    this.fingerprint = fingerprint;
    this.spec = spec;
    this.filters = filters;
  }

  /**
   * An empty ledger for a watermarker.
   *
   * @param watermarker the watermark whose windows are recorded
   * @param expectedWindows capacity of the first filter, in distinct windows, at least 1; the
   *     ledger grows past it without losing its false-positive rate
   * @param falsePositiveRate bound on the compound false-positive rate, in (0, 0.5)
   * @return the ledger
   * @throws IllegalArgumentException naming a parameter out of range
   */
  public static ServedWindowLedger create(Watermarker watermarker, long expectedWindows, double falsePositiveRate) {
    if (expectedWindows < 1) {
      throw new IllegalArgumentException("expectedWindows is not in [1, 2^63): " + expectedWindows);
    }
    if (!(falsePositiveRate > 0 && falsePositiveRate < 0.5)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "falsePositiveRate is not in (0, 0.5): %s", falsePositiveRate));
    }
    return new ServedWindowLedger(watermarker.keyId(), watermarker.keyFingerprint(), watermarker.spec().describe(),
        new Filter[] {Filter.create(expectedWindows, falsePositiveRate / 2)});
  }

  /**
   * Records the windows under which {@code tokens[from, to)} were generated, that is the window
   * before each of those positions (positions with fewer than h tokens before them have none).
   *
   * @param watermarker the watermark the response was generated with (same key fingerprint)
   * @param tokens prompt and response tokens
   * @param from first generated position
   * @param to end of the response
   * @throws IllegalArgumentException if the watermarker's key is not this ledger's, or the range
   *     is not within the array
   */
  public void record(Watermarker watermarker, int[] tokens, int from, int to) {
    if (!watermarker.keyFingerprint().equals(fingerprint)) {
      throw new IllegalArgumentException("ledger of key " + keyId + " (fingerprint " + fingerprint
          + ") cannot record windows of key " + watermarker.keyId() + " (fingerprint " + watermarker.keyFingerprint() + ")");
    }
    if (from < 0 || from > to || to > tokens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "range [%d, %d) is not within [0, %d]", from, to, tokens.length));
    }
    int h = watermarker.spec().contextWidth();
    for (int t = Math.max(from, h); t < to; t++) {
      recordWindow(watermarker.windowSeed(tokens, t));
    }
  }

  /**
   * Records one window seed.
   *
   * @param windowSeed the seed, from {@link Watermarker#windowSeed}
   */
  public void recordWindow(long windowSeed) {
    Filter[] fs = filters;
    Filter current = fs[fs.length - 1];
    if (current.bloom.put(windowSeed) && current.distinct.incrementAndGet() >= current.capacity) {
      grow(current);
    }
    recorded.increment();
  }

  private void grow(Filter full) {
    synchronized (lock) {
      Filter[] fs = filters;
      if (fs[fs.length - 1] != full) {
        return; // another writer started the next filter
      }
      if (fs.length >= MAX_FILTERS) {
        return; // keep filling the last one; the estimated rate says what that costs
      }
      Filter next = Filter.create(full.capacity > Long.MAX_VALUE / 2 ? full.capacity : full.capacity * 2,
          Math.max(full.targetFpp / 2, Double.MIN_NORMAL));
      Filter[] grown = Arrays.copyOf(fs, fs.length + 1);
      grown[fs.length] = next;
      filters = grown;
    }
  }

  /**
   * Whether the window may have been served (false positives at about
   * {@link #estimatedFalsePositiveRate()}, no false negatives).
   *
   * @param windowSeed window seed
   * @return true if the window may have been recorded
   */
  public boolean mightContain(long windowSeed) {
    for (Filter f : filters) {
      if (f.bloom.mightContain(windowSeed)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds every window of another ledger of the same key and spec. Safe while other threads
   * record into either ledger; windows they record during the merge may or may not be included.
   *
   * @param other a ledger with the same key fingerprint and spec
   * @throws IllegalArgumentException if the fingerprint or the spec differs
   */
  public void merge(ServedWindowLedger other) {
    requireSameKey(other);
    Filter[] theirs = other.filters;
    synchronized (lock) {
      List<Filter> added = new ArrayList<>();
      for (Filter t : theirs) {
        Filter snapshot = t.copy(); // the other ledger may be recorded into meanwhile
        if (!unionInPlace(snapshot)) {
          added.add(snapshot);
        }
      }
      if (!added.isEmpty()) {
        Filter[] fs = filters;
        List<Filter> all = new ArrayList<>(Arrays.asList(fs).subList(0, fs.length - 1));
        all.addAll(added);
        all.add(fs[fs.length - 1]); // the current filter stays the one recorded into
        if (all.size() > MAX_FILTERS) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "merged ledger would have more than %d filters: %d", MAX_FILTERS, all.size()));
        }
        filters = all.toArray(new Filter[0]);
      }
    }
    recorded.add(other.recorded.sum());
  }

  /**
   * OR-s {@code t} (a private snapshot) into a compatible filter of ours when that adds nothing,
   * when ours is an earlier copy of it (a replica merged again after it grew), or when the union
   * stays within capacity; false if there is no such filter.
   */
  private boolean unionInPlace(Filter t) {
    for (Filter f : filters) {
      if (f.capacity == t.capacity && f.targetFpp == t.targetFpp && f.bloom.isCompatible(t.bloom)) {
        BloomFilter<Long> union = f.bloom.copy();
        union.putAll(t.bloom);
        if (union.equals(f.bloom)) {
          return true;
        }
        long n = union.approximateElementCount();
        if (union.equals(t.bloom) || n <= f.capacity) {
          f.bloom.putAll(t.bloom);
          f.distinct.accumulateAndGet(n, Math::max);
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Checks that another ledger belongs to the same key and spec.
   *
   * @param other the other ledger
   * @throws IllegalArgumentException naming both fingerprints or both specs if they differ
   */
  public void requireSameKey(ServedWindowLedger other) {
    if (!fingerprint.equals(other.fingerprint)) {
      throw new IllegalArgumentException("ledgers of different keys: fingerprint " + fingerprint + " (key " + keyId
          + ") and " + other.fingerprint + " (key " + other.keyId + ")");
    }
    if (!spec.equals(other.spec)) {
      throw new IllegalArgumentException("ledgers of different specs: " + spec + " and " + other.spec);
    }
  }

  /** @return the key id this ledger was recorded under (informational; the binding is the fingerprint) */
  public String keyId() {
    return keyId;
  }

  /** @return the fingerprint of the key this ledger belongs to, 32 lowercase hex digits */
  public String keyFingerprint() {
    return fingerprint;
  }

  /** @return the spec description recorded with the ledger */
  public String specDescription() {
    return spec;
  }

  /** @return windows recorded, with repeats, since creation (carried through saves and merges) */
  public long recordedWindows() {
    return recorded.sum();
  }

  /** @return distinct windows held, as counted by the filters (an estimate after merges) */
  public long distinctWindows() {
    long n = 0;
    for (Filter f : filters) {
      n += f.distinct.get();
    }
    return n;
  }

  /** @return the sum of the capacities of the filters, in distinct windows */
  public long capacity() {
    long c = 0;
    for (Filter f : filters) {
      c = c > Long.MAX_VALUE - f.capacity ? Long.MAX_VALUE : c + f.capacity;
    }
    return c;
  }

  /** @return the number of Bloom filters in the chain */
  public int filterCount() {
    return filters.length;
  }

  /** @return whether some filter holds more distinct windows than its capacity */
  public boolean overCapacity() {
    for (Filter f : filters) {
      if (f.distinct.get() > f.capacity) {
        return true;
      }
    }
    return false;
  }

  /**
   * The estimated probability that a window never recorded is reported as a member:
   * {@code 1 - prod(1 - f_i)} over the filters, each f_i Guava's estimate at its current fill
   * ({@code (bits set / bits)^hashes}).
   *
   * @return the estimate, in [0, 1]
   */
  public double estimatedFalsePositiveRate() {
    double none = 1;
    for (Filter f : filters) {
      none *= 1 - f.bloom.expectedFpp();
    }
    return 1 - none;
  }

  /**
   * Writes the ledger atomically and durably (a forced temporary file renamed over the target).
   * It holds at least every window whose recording finished before the call.
   *
   * @param path target file
   * @throws UncheckedIOException naming the file if it cannot be written; the file is unchanged
   */
  public void save(Path path) {
    try {
      AtomicFiles.replace(path, this::writeTo);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ledger " + e.getMessage(), e);
    }
  }

  /** Writes the version 2 file format (docs/SPEC.md section 8), checksum included. */
  private void writeTo(OutputStream os) throws IOException {
    Filter[] fs = filters;
    long count = recorded.sum();
    MessageDigest md = sha256();
    DataOutputStream out = new DataOutputStream(new DigestOutputStream(os, md));
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.write(HexFormat.of().parseHex(fingerprint));
    out.writeUTF(keyId);
    out.writeUTF(spec);
    out.writeLong(count);
    out.writeInt(fs.length);
    for (Filter f : fs) {
      out.writeLong(f.capacity);
      out.writeDouble(f.targetFpp);
      out.writeLong(f.distinct.get());
      f.bloom.writeTo(out);
    }
    out.flush();
    os.write(md.digest());
  }

  /**
   * Java serialization writes the bytes of the file format (a serialization proxy), so that a
   * ledger can be shipped, for example as a Spark broadcast variable, and is checked on arrival
   * exactly as {@link #load} checks a file.
   */
  private Object writeReplace() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      writeTo(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SerialForm(b.toByteArray());
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a ledger is deserialized through its serial form only");
  }

  /** The serialized form: the file format's bytes. */
  private static final class SerialForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    SerialForm(byte[] bytes) {
      this.bytes = bytes;
    }

    private Object readResolve() throws InvalidObjectException {
      try {
        return fromBytes(bytes);
      } catch (IllegalArgumentException e) {
        InvalidObjectException x = new InvalidObjectException(e.getMessage());
        x.initCause(e);
        throw x;
      }
    }
  }

  /** Reads the file format from memory, with the checks of {@link #load}. */
  private static ServedWindowLedger fromBytes(byte[] bytes) {
    Path name = Path.of("(serialized ledger)");
    try {
      if (bytes.length < MAGIC.length + 4 + DIGEST_BYTES) {
        throw new EOFException();
      }
      MessageDigest md = sha256();
      md.update(bytes, 0, bytes.length - DIGEST_BYTES);
      if (!MessageDigest.isEqual(md.digest(), Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length))) {
        throw corrupt(name, "checksum does not match the content (damaged or truncated)");
      }
      CountingInputStream counted = new CountingInputStream(new ByteArrayInputStream(bytes));
      DataInputStream in = new DataInputStream(counted);
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      int version = in.readInt();
      if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
        throw corrupt(name, "not a version " + VERSION + " ledger");
      }
      return parse(name, in, counted, bytes.length);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + ": ledger file is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loads a ledger.
   *
   * @param path the file
   * @return the ledger
   * @throws IllegalArgumentException naming the file if it is not a ledger of a supported version,
   *     is truncated, fails its checksum or holds an impossible length
   * @throws UncheckedIOException naming the file if it cannot be read
   */
  public static ServedWindowLedger load(Path path) {
    long size;
    try {
      if (Files.isDirectory(path)) {
        throw new IOException("is a directory, not a ledger file");
      }
      size = Files.size(path);
      try (InputStream is = Files.newInputStream(path)) {
        return read(path, is, size);
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException(path + ": ledger file is truncated", e);
    } catch (IOException e) {
      throw cannotRead(path, e);
    }
  }

  private static UncheckedIOException cannotRead(Path path, IOException e) {
    String why = e instanceof NoSuchFileException ? "no such file"
        : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return new UncheckedIOException(path + ": cannot read ledger: " + why, e);
  }

  private static ServedWindowLedger read(Path path, InputStream is, long size) throws IOException {
    CountingInputStream counted = new CountingInputStream(new BufferedInputStream(is, 1 << 16));
    DataInputStream in = new DataInputStream(counted);
    byte[] magic = new byte[MAGIC.length];
    in.readFully(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw corrupt(path, "not a ledger file (bad magic)");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IllegalArgumentException(path + ": ledger format version " + version + " is not supported (this library reads "
          + VERSION + (version == 1 ? "; version 1 has no checksum and is bound to the key id, not the key:"
          + " convert it under its key with 'wm ledger upgrade'" : "") + ")");
    }
    // The checksum is verified before anything else is interpreted, then lengths are checked
    // again on the second pass, so that neither damage nor a forged checksum can allocate.
    verifyChecksum(path, size);
    return parse(path, in, counted, size);
  }

  private static void verifyChecksum(Path path, long size) throws IOException {
    if (size < MAGIC.length + 4 + DIGEST_BYTES) {
      throw new EOFException();
    }
    MessageDigest md = sha256();
    byte[] stored = new byte[DIGEST_BYTES];
    try (InputStream is = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      ByteStreams.copy(ByteStreams.limit(is, size - DIGEST_BYTES),
          new DigestOutputStream(OutputStream.nullOutputStream(), md));
      ByteStreams.readFully(is, stored);
    }
    if (!MessageDigest.isEqual(md.digest(), stored)) {
      throw corrupt(path, "checksum does not match the content (damaged or truncated)");
    }
  }

  private static ServedWindowLedger parse(Path path, DataInputStream in, CountingInputStream counted, long size)
      throws IOException {
    byte[] fp = new byte[FINGERPRINT_BYTES];
    in.readFully(fp);
    String keyId = in.readUTF();
    String spec = in.readUTF();
    long count = in.readLong();
    int n = in.readInt();
    if (n < 1 || n > MAX_FILTERS) {
      throw corrupt(path, String.format(Locale.ROOT, "filter count is not in [1, %d]: %d", MAX_FILTERS, n));
    }
    Filter[] fs = new Filter[n];
    for (int i = 0; i < n; i++) {
      long capacity = in.readLong();
      double fpp = in.readDouble();
      long distinct = in.readLong();
      int strategy = in.readUnsignedByte();
      int hashes = in.readUnsignedByte();
      int words = in.readInt();
      if (capacity < 1 || !(fpp > 0 && fpp < 0.5) || distinct < 0) {
        throw corrupt(path, String.format(Locale.ROOT, "filter %d has capacity %d, rate %s, %d windows", i, capacity, fpp, distinct));
      }
      if (strategy != GUAVA_STRATEGY || hashes < 1) {
        throw corrupt(path, String.format(Locale.ROOT, "filter %d has hash strategy %d and %d hash functions (expected strategy %d)",
            i, strategy, hashes, GUAVA_STRATEGY));
      }
      long left = size - counted.getCount() - DIGEST_BYTES;
      if (words < 1 || 8L * words > left) {
        throw corrupt(path, String.format(Locale.ROOT, "filter %d claims %d words but %d bytes remain", i, words, Math.max(0, left)));
      }
      BloomFilter<Long> bloom = readBloom(path, in, strategy, hashes, words, i);
      fs[i] = new Filter(capacity, fpp, bloom, distinct);
    }
    if (counted.getCount() != size - DIGEST_BYTES) {
      throw corrupt(path, String.format(Locale.ROOT, "%d bytes between the last filter and the checksum",
          size - DIGEST_BYTES - counted.getCount()));
    }
    ServedWindowLedger l = new ServedWindowLedger(keyId, HexFormat.of().formatHex(fp), spec, fs);
    l.recorded.add(count);
    return l;
  }

  /**
   * Reads a version 1 ledger file (no checksum, bound to a key id only) as a ledger of
   * {@code watermarker}, to be saved as version 2. The caller vouches for the key: the file's key
   * id and spec must match it, but a version 1 file cannot show which secret it was recorded
   * under. Lengths are checked against the file size as in {@link #load}.
   *
   * @param path a version 1 ledger file
   * @param watermarker the key and spec the windows were recorded under
   * @return the ledger, one filter whose capacity and rate are inferred from its size
   * @throws IllegalArgumentException naming the file if it is not a valid version 1 ledger or its
   *     key id or spec differ from the watermarker's
   * @throws UncheckedIOException naming the file if it cannot be read
   */
  public static ServedWindowLedger loadVersion1(Path path, Watermarker watermarker) {
    try (InputStream is = Files.newInputStream(path)) {
      long size = Files.size(path);
      CountingInputStream counted = new CountingInputStream(new BufferedInputStream(is, 1 << 16));
      DataInputStream in = new DataInputStream(counted);
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      int version = in.readInt();
      if (!Arrays.equals(magic, MAGIC) || version != 1) {
        throw corrupt(path, "not a version 1 ledger file");
      }
      String keyId = in.readUTF();
      String spec = in.readUTF();
      if (!keyId.equals(watermarker.keyId()) || !spec.equals(watermarker.spec().describe())) {
        throw new IllegalArgumentException(path + ": ledger of key " + keyId + " (" + spec + "), not of key "
            + watermarker.keyId() + " (" + watermarker.spec().describe() + ")");
      }
      long count = in.readLong();
      int strategy = in.readUnsignedByte();
      int hashes = in.readUnsignedByte();
      int words = in.readInt();
      if (strategy != GUAVA_STRATEGY || hashes < 1 || words < 1 || 8L * words != size - counted.getCount()) {
        throw corrupt(path, String.format(Locale.ROOT, "hash strategy %d, %d hash functions, %d words in %d remaining bytes",
            strategy, hashes, words, size - counted.getCount()));
      }
      BloomFilter<Long> bloom = readBloom(path, in, strategy, hashes, words, 0);
      // Guava sized it with k = round(m / n ln 2) and m = -n ln p / (ln 2)^2.
      double bits = 64.0 * words;
      long capacity = Math.max(1, Math.round(bits * Math.log(2) / hashes));
      double fpp = Math.min(0.49, Math.exp(-bits * Math.log(2) * Math.log(2) / capacity));
      ServedWindowLedger l = new ServedWindowLedger(keyId, watermarker.keyFingerprint(), spec,
          new Filter[] {new Filter(capacity, fpp, bloom, bloom.approximateElementCount())});
      l.recorded.add(count);
      return l;
    } catch (EOFException e) {
      throw new IllegalArgumentException(path + ": ledger file is truncated", e);
    } catch (IOException e) {
      throw cannotRead(path, e);
    }
  }

  private static BloomFilter<Long> readBloom(Path path, InputStream in, int strategy, int hashes, int words, int index)
      throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(6);
    DataOutputStream h = new DataOutputStream(header);
    h.writeByte(strategy);
    h.writeByte(hashes);
    h.writeInt(words);
    try {
      return BloomFilter.readFrom(
          new SequenceInputStream(new ByteArrayInputStream(header.toByteArray()), ByteStreams.limit(in, 8L * words)),
          Funnels.longFunnel());
    } catch (EOFException e) {
      throw e;
    } catch (IOException e) {
      throw corrupt(path, "filter " + index + " cannot be read: " + e.getMessage());
    }
  }

  private static IllegalArgumentException corrupt(Path path, String what) {
    return new IllegalArgumentException(path + ": ledger file is corrupt: " + what);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ServedWindowLedger[key %s, fingerprint %s, %d windows, %d filters]",
        keyId, fingerprint, distinctWindows(), filters.length);
  }
}
