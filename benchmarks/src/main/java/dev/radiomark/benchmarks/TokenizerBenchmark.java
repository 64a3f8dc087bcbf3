package dev.radiomark.benchmarks;

import dev.radiomark.verify.text.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Re-tokenization cost of detection: {@link TextTokenizer#encode} of every verse of the test
 * corpus ({@code corpus/kjv-sample.txt.gz}, 4,000 verses, one call each, as {@code wm detect}
 * encodes one record at a time). One operation is the whole corpus.
 *
 * <ul>
 *   <li>{@code hf-bpe}: {@code tiny-bpe.json} through DJL (the Rust tokenizers library, one JNI
 *       call per verse);
 *   <li>{@code tiktoken-bpe}: the same vocabulary as {@code tiny.tiktoken} through jtokkit, split
 *       with the same GPT-2 pattern, so both produce identical ids (TokenizerFilesTest): the two
 *       engines side by side;
 *   <li>{@code tiktoken-llama3}: the same rank file with Llama 3's split pattern (the default);
 *   <li>{@code o200k_base}: the built-in encoding, for scale.
 * </ul>
 *
 * <p>Run from the repository root (the files are read from {@code watermark-verify/src/test/resources}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TokenizerBenchmark {
  /** GPT-2's split pattern, the one the tiny BPE's ByteLevel pre-tokenizer applies. */
  static final String GPT2_SPLIT =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  /** The tokenizer and the verses. */
  @State(Scope.Thread)
  public static class Corpus {
    /** Which tokenizer (see the class comment). */
    @Param({"hf-bpe", "tiktoken-bpe", "tiktoken-llama3", "o200k_base"})
    public String tokenizer;

    /** Directory of {@code corpus/} and {@code tokenizers/}. */
    @Param({"watermark-verify/src/test/resources"})
    public String resources;

    TextTokenizer tok;
    List<String> verses;

    /** Loads the tokenizer and the verses, and reports the tokens per operation. */
    @Setup(Level.Trial)
    public void setUp() {
      Path dir = Path.of(resources);
      switch (tokenizer) {
        case "hf-bpe":
          tok = TextTokenizer.huggingFace(dir.resolve("tokenizers/tiny-bpe.json"));
          break;
        case "tiktoken-bpe":
          tok = TextTokenizer.tiktoken(dir.resolve("tokenizers/tiny.tiktoken"), GPT2_SPLIT, 0);
          break;
        case "tiktoken-llama3":
          tok = TextTokenizer.tiktoken(dir.resolve("tokenizers/tiny.tiktoken"));
          break;
        default:
          tok = TextTokenizer.named(tokenizer);
      }
      verses = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          new GZIPInputStream(Files.newInputStream(dir.resolve("corpus/kjv-sample.txt.gz"))), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          verses.add(l);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long tokens = 0;
      long chars = 0;
      for (String v : verses) {
        tokens += tok.encode(v).length;
        chars += v.length();
      }
      System.out.printf("%n%s: %d verses, %d chars, %d tokens per operation%n", tokenizer, verses.size(), chars, tokens);
    }
  }

  /**
   * Encodes every verse.
   *
   * @param c the corpus
   * @return the number of tokens, consumed by JMH
   */
  @Benchmark
  public long encodeCorpus(Corpus c) {
    long n = 0;
    for (String v : c.verses) {
      n += c.tok.encode(v).length;
    }
    return n;
  }
}
