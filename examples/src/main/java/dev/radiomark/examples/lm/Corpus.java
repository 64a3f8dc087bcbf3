package dev.radiomark.examples.lm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The King James Bible, one verse per line, read from the classpath resource
 * {@code dev/radiomark/examples/corpus/kjv-verses.txt.gz}, tokenized with o200k_base
 * ({@code encodeOrdinary}: special-token text is encoded as plain text), and split into four
 * disjoint parts.
 *
 * <p><b>Split rule (frozen).</b> Verse {@code i} (0-based line number) goes to the part chosen by
 * {@code b = Long.remainderUnsigned(mix(i + SPLIT_SALT), 100)}, where {@code mix} is the
 * SplitMix64 finaliser (Steele, Lea and Flood 2014) and {@code SPLIT_SALT = 0x5241_4449_4f4d_4b31}
 * ("RADIOMK1"): {@code b < 45} TEACHER, {@code b < 80} HUMAN, {@code b < 90} PROMPTS, otherwise
 * HELD_OUT. The rule depends on nothing but the index, so parts are deterministic and disjoint.
 *
 * <p>Instances are immutable; {@link #kjv()} loads the corpus once per class loader.
 */
public final class Corpus {

  /** The four disjoint parts of the corpus. */
  public enum Part {
    /** About 45%: teacher training text. */
    TEACHER,
    /** About 35%: student pre-training, the "human" text. */
    HUMAN,
    /** About 10%: sources of prompts. */
    PROMPTS,
    /** About 10%: held out for calibration and probes. */
    HELD_OUT
  }

  /** Classpath location of the gzip-compressed verse file. */
  public static final String RESOURCE = "/dev/radiomark/examples/corpus/kjv-verses.txt.gz";

  /** Size of the o200k_base id space: largest id (200018, a special token) plus one. */
  public static final int O200K_VOCAB_SIZE = 200_019;

  private static final long SPLIT_SALT = 0x5241_4449_4f4d_4b31L;

  private final List<String> verses;
  private final int[][] tokens;
  private final Part[] parts;

  private Corpus(List<String> verses, int[][] tokens) {
    this.verses = verses;
    this.tokens = tokens;
    this.parts = new Part[verses.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = partOf(i);
    }
  }

  /**
   * The KJV corpus, loaded and tokenized on first use (about 1-2 s) and shared afterwards.
   *
   * @throws UncheckedIOException if the resource is missing or not valid gzip/UTF-8
   */
  public static Corpus kjv() {
    return Holder.KJV;
  }

  /** The o200k_base encoding used for all token ids in this package. */
  public static Encoding encoding() {
    return Holder.ENCODING;
  }

  /**
   * The part verse {@code index} belongs to under the frozen split rule.
   *
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public static Part partOf(int index) {
    if (index < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "index is negative: %d", index));
    }
    long b = Long.remainderUnsigned(mix(index + SPLIT_SALT), 100);
    if (b < 45) {
      return Part.TEACHER;
    } else if (b < 80) {
      return Part.HUMAN;
    } else if (b < 90) {
      return Part.PROMPTS;
    }
    return Part.HELD_OUT;
  }

  /** Number of verses (31,102 for the KJV). */
  public int size() {
    return verses.size();
  }

  /** All verses, in file order, as an unmodifiable list. */
  public List<String> verses() {
    return verses;
  }

  /**
   * The text of verse {@code index}.
   *
   * @throws IllegalArgumentException if {@code index} is not in {@code [0, size())}
   */
  public String verse(int index) {
    checkIndex(index);
    return verses.get(index);
  }

  /**
   * A fresh copy of the o200k_base token ids of verse {@code index}.
   *
   * @throws IllegalArgumentException if {@code index} is not in {@code [0, size())}
   */
  public int[] tokens(int index) {
    checkIndex(index);
    return tokens[index].clone();
  }

  /** Indices of the verses in {@code part}, ascending. */
  public int[] indices(Part part) {
    int n = 0;
    for (Part p : parts) {
      if (p == part) {
        n++;
      }
    }
    int[] out = new int[n];
    for (int i = 0, j = 0; i < parts.length; i++) {
      if (parts[i] == part) {
        out[j++] = i;
      }
    }
    return out;
  }

  /** Texts of the verses in {@code part}, in file order, as an unmodifiable list. */
  public List<String> verses(Part part) {
    List<String> out = new ArrayList<>();
    for (int i : indices(part)) {
      out.add(verses.get(i));
    }
    return Collections.unmodifiableList(out);
  }

  /** Fresh copies of the token arrays of the verses in {@code part}, in file order. */
  public int[][] tokens(Part part) {
    int[] idx = indices(part);
    int[][] out = new int[idx.length][];
    for (int j = 0; j < idx.length; j++) {
      out[j] = tokens[idx[j]].clone();
    }
    return out;
  }

  /** Fresh copies of the token arrays of all verses, in file order. */
  public int[][] allTokens() {
    int[][] out = new int[tokens.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = tokens[i].clone();
    }
    return out;
  }

  /** The verses of {@code part} as one flat token stream with verse boundaries. */
  public TokenStream stream(Part part) {
    return TokenStream.of(tokens(part));
  }

  /** Total number of tokens in {@code part}. */
  public long tokenCount(Part part) {
    long n = 0;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] == part) {
        n += tokens[i].length;
      }
    }
    return n;
  }

  /**
   * Verses concatenated into one array: verse {@code i} is {@code tokens()[starts()[i],
   * starts()[i + 1])}. The arrays belong to the caller.
   *
   * @param tokens all token ids, in order
   * @param starts {@code count + 1} offsets into {@code tokens}, non-decreasing, last =
   *     {@code tokens.length}
   */
  public record TokenStream(int[] tokens, int[] starts) {

    /** Concatenates {@code sequences}. */
    public static TokenStream of(int[][] sequences) {
      int[] starts = new int[sequences.length + 1];
      for (int i = 0; i < sequences.length; i++) {
        starts[i + 1] = starts[i] + sequences[i].length;
      }
      int[] flat = new int[starts[sequences.length]];
      for (int i = 0; i < sequences.length; i++) {
        System.arraycopy(sequences[i], 0, flat, starts[i], sequences[i].length);
      }
      return new TokenStream(flat, starts);
    }

    /** Number of verses. */
    public int count() {
      return starts.length - 1;
    }
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= verses.size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "index is not in [0, %d): %d", verses.size(), index));
    }
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static Corpus load() {
    List<String> lines = new ArrayList<>(31_102);
    try (InputStream raw = Corpus.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new UncheckedIOException(new IOException("classpath resource missing: " + RESOURCE));
      }
      // Strict decoding: a corrupted resource must fail loudly rather than shift token ids.
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(new GZIPInputStream(raw, 1 << 16), decoder))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    Encoding enc = Holder.ENCODING;
    int[][] tokens = new int[lines.size()][];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = enc.encodeOrdinary(lines.get(i)).toArray();
    }
    return new Corpus(Collections.unmodifiableList(lines), tokens);
  }

  private static final class Holder {
    static final Encoding ENCODING =
        Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    static final Corpus KJV = load();
  }
}
