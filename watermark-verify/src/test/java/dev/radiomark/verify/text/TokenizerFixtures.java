package dev.radiomark.verify.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Makes the tokenizer fixtures of {@code src/test/resources/tokenizers/} from the bundled corpus
 * ({@code corpus/kjv-sample.txt.gz}, 4,000 KJV verses), deterministically, with no download and no
 * other tool:
 *
 * <ul>
 *   <li>{@code tiny-bpe.json}: a byte-level BPE {@code tokenizer.json} (GPT-2's byte-to-character
 *       map and split pattern), 256 byte tokens and {@link #MERGES} merges learned greedily (most
 *       frequent adjacent pair, ties to the smallest pair in string order), plus the special token
 *       {@code <|endoftext|>};
 *   <li>{@code tiny-wordlevel.json}: a WordLevel {@code tokenizer.json}, {@code [UNK]} and the
 *       {@link #WORDS} most frequent words and punctuation runs (ties in string order), split on
 *       whitespace and at word/punctuation boundaries;
 *   <li>{@code tiny.tiktoken}: the same byte-level vocabulary as a tiktoken rank file (rank = the
 *       BPE id; merges whose result already existed add no rank);
 *   <li>{@code tiny-gpt-words.json}: the word-level tokenizer of the ONNX test model
 *       ({@code onnx/vocab.json}, 1,024 ids) as a {@code tokenizer.json}: lowercase, split at
 *       whitespace, then into runs of a-z and single other characters, unknown words to
 *       {@code <unk>}, as {@code make_onnx_fixture.py}'s {@code words()} does.
 * </ul>
 *
 * <p>Run from {@code watermark-verify} after {@code mvn test-compile}:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.radiomark.verify.text.TokenizerFixtures src/test/resources/tokenizers}.
 * {@code TokenizerFixturesTest} regenerates them in memory and checks the committed bytes.
 */
public final class TokenizerFixtures {
  static final int MERGES = 300;
  static final int WORDS = 500;
  static final String BPE = "tiny-bpe.json";
  static final String WORDLEVEL = "tiny-wordlevel.json";
  static final String TIKTOKEN = "tiny.tiktoken";
  static final String GPT_WORDS = "tiny-gpt-words.json";

  /** GPT-2's split pattern, the one the ByteLevel pre-tokenizer applies. */
  static final String GPT2_SPLIT =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TokenizerFixtures() {}

  /** Writes the three fixtures into a directory. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/tokenizers");
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : make().entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
  }

  /** The fixtures by file name. */
  static Map<String, byte[]> make() {
    List<String> lines = corpus();
    Map<String, byte[]> out = new LinkedHashMap<>();
    Bpe bpe = trainBpe(lines);
    out.put(BPE, bpe.tokenizerJson());
    out.put(WORDLEVEL, wordLevel(lines));
    out.put(TIKTOKEN, bpe.rankFile());
    out.put(GPT_WORDS, gptWords());
    return out;
  }

  static List<String> corpus() {
    try (InputStream in = TokenizerFixtures.class.getResourceAsStream("/corpus/kjv-sample.txt.gz");
        BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      for (String l; (l = r.readLine()) != null; ) {
        lines.add(l);
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GPT-2's byte-to-character map: printable bytes stand for themselves, the others move to 256+. */
  static char[] byteChars() {
    char[] map = new char[256];
    boolean[] direct = new boolean[256];
    for (int b = 0; b < 256; b++) {
      direct[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
      map[b] = direct[b] ? (char) b : (char) (256 + n++);
    }
    return map;
  }

  static final class Bpe {
    final char[] byteChars = byteChars();
    final Map<String, Integer> vocab = new LinkedHashMap<>();
    final List<String> merges = new ArrayList<>();

    String toChars(byte[] bytes) {
      StringBuilder b = new StringBuilder();
      for (byte x : bytes) {
        b.append(byteChars[x & 0xff]);
      }
      return b.toString();
    }

    byte[] toBytes(String chars) {
      Map<Character, Integer> back = new HashMap<>();
      for (int i = 0; i < 256; i++) {
        back.put(byteChars[i], i);
      }
      byte[] out = new byte[chars.length()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (int) back.get(chars.charAt(i));
      }
      return out;
    }

    byte[] tokenizerJson() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("version", "1.0");
      root.put("truncation", null);
      root.put("padding", null);
      root.put("added_tokens", List.of(addedToken(vocab.size(), "<|endoftext|>")));
      root.put("normalizer", null);
      root.put("pre_tokenizer", ordered("type", "ByteLevel", "add_prefix_space", false, "trim_offsets", true,
          "use_regex", true));
      root.put("post_processor", null);
      root.put("decoder", ordered("type", "ByteLevel", "add_prefix_space", false, "trim_offsets", true,
          "use_regex", true));
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("type", "BPE");
      model.put("dropout", null);
      model.put("unk_token", null);
      model.put("continuing_subword_prefix", null);
      model.put("end_of_word_suffix", null);
      model.put("fuse_unk", false);
      model.put("byte_fallback", false);
      model.put("vocab", vocab);
      model.put("merges", merges);
      root.put("model", model);
      return write(root);
    }

    byte[] rankFile() {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Integer> e : vocab.entrySet()) {
        b.append(Base64.getEncoder().encodeToString(toBytes(e.getKey()))).append(' ').append(e.getValue()).append('\n');
      }
      return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
  }

  static Map<String, Object> addedToken(int id, String content) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", false);
    t.put("special", true);
    return t;
  }

  static Bpe trainBpe(List<String> lines) {
    Bpe bpe = new Bpe();
    for (int b = 0; b < 256; b++) {
      bpe.vocab.put(String.valueOf(bpe.byteChars[b]), b);
    }
    Pattern split = Pattern.compile(GPT2_SPLIT, Pattern.UNICODE_CHARACTER_CLASS);
    Map<String, Integer> wordCounts = new TreeMap<>();
    for (String line : lines) {
      Matcher m = split.matcher(line);
      while (m.find()) {
        wordCounts.merge(bpe.toChars(m.group().getBytes(StandardCharsets.UTF_8)), 1, Integer::sum);
      }
    }
    List<List<String>> words = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
      List<String> symbols = new ArrayList<>();
      for (char c : e.getKey().toCharArray()) {
        symbols.add(String.valueOf(c));
      }
      words.add(symbols);
      counts.add(e.getValue());
    }
    for (int k = 0; k < MERGES; k++) {
      Map<String, Integer> pairs = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> s = words.get(w);
        for (int i = 0; i + 1 < s.size(); i++) {
          pairs.merge(s.get(i) + " " + s.get(i + 1), counts.get(w), Integer::sum);
        }
      }
      String best = null;
      int bestCount = 0;
      for (Map.Entry<String, Integer> e : pairs.entrySet()) {
        if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          bestCount = e.getValue();
        }
      }
      if (best == null) {
        break;
      }
      String a = best.substring(0, best.indexOf(' '));
      String b = best.substring(best.indexOf(' ') + 1);
      bpe.merges.add(best);
      bpe.vocab.putIfAbsent(a + b, bpe.vocab.size());
      for (List<String> s : words) {
        for (int i = 0; i + 1 < s.size(); i++) {
          if (s.get(i).equals(a) && s.get(i + 1).equals(b)) {
            s.set(i, a + b);
            s.remove(i + 1);
          }
        }
      }
    }
    return bpe;
  }

  /** HF's Whitespace pre-tokenizer: runs of word characters, or of other non-space characters. */
  static byte[] wordLevel(List<String> lines) {
    Pattern split = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines) {
      Matcher m = split.matcher(line);
      while (m.find()) {
        counts.merge(m.group(), 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((x, y) -> x.getValue().equals(y.getValue())
        ? x.getKey().compareTo(y.getKey()) : Integer.compare(y.getValue(), x.getValue()));
    Map<String, Integer> vocab = new LinkedHashMap<>();
    vocab.put("[UNK]", 0);
    for (int i = 0; i < WORDS && i < sorted.size(); i++) {
      vocab.put(sorted.get(i).getKey(), vocab.size());
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    root.put("added_tokens", List.of(addedToken(0, "[UNK]")));
    root.put("normalizer", null);
    root.put("pre_tokenizer", ordered("type", "Whitespace"));
    root.put("post_processor", null);
    root.put("decoder", null);
    root.put("model", ordered("type", "WordLevel", "vocab", vocab, "unk_token", "[UNK]"));
    return write(root);
  }

  /** The ONNX test model's vocabulary as a WordLevel tokenizer.json. */
  static byte[] gptWords() {
    Map<String, Object> vocab = new LinkedHashMap<>();
    try (InputStream in = TokenizerFixtures.class.getResourceAsStream("/onnx/vocab.json")) {
      for (com.fasterxml.jackson.databind.JsonNode w : JSON.readTree(in)) {
        vocab.put(w.asText(), vocab.size());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    root.put("added_tokens", List.of());
    root.put("normalizer", ordered("type", "Lowercase"));
    root.put("pre_tokenizer", ordered("type", "Sequence", "pretokenizers", List.of(
        ordered("type", "WhitespaceSplit"),
        ordered("type", "Split", "pattern", ordered("Regex", "[a-z]+|[^a-z]"), "behavior", "Isolated",
            "invert", false))));
    root.put("post_processor", null);
    root.put("decoder", null);
    root.put("model", ordered("type", "WordLevel", "vocab", vocab, "unk_token", "<unk>"));
    return write(root);
  }

  /** A map in the order given (Map.of's order changes from one JVM run to the next). */
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static byte[] write(Object root) {
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
