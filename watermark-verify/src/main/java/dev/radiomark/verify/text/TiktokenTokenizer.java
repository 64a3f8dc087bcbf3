package dev.radiomark.verify.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads a {@link TextTokenizer} from a tiktoken rank file (one {@code BASE64 RANK} pair a line, the format
 * of Llama 3's {@code tokenizer.model} and of OpenAI's {@code .tiktoken} files), loaded as a
 * jtokkit custom byte-pair encoding. Text is split with a regular expression first (Llama 3's by
 * default, {@link TextTokenizer#LLAMA3_SPLIT_PATTERN}), compiled with Unicode character classes
 * as Python's {@code regex} module reads it. Special tokens, when asked for, take the ids after
 * the largest rank and are never produced by {@link TextTokenizer#encode}. The tokenizer is a
 * {@link JtokkitTokenizer} over that encoding.
 */
final class TiktokenTokenizer {
  private TiktokenTokenizer() {}

  static TextTokenizer load(Path file, String splitPattern, int specialTokens) {
    Objects.requireNonNull(splitPattern, "splitPattern");
    if (specialTokens < 0) {
      throw new IllegalArgumentException("specialTokens is not in [0, 2^31 - 1): " + specialTokens);
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(splitPattern, Pattern.UNICODE_CHARACTER_CLASS);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("split pattern is not a valid regular expression: "
          + e.getDescription() + " near index " + e.getIndex() + ": " + splitPattern, e);
    }
    byte[] bytes = TokenizerFile.read(file);
    Map<byte[], Integer> ranks = parse(file, bytes);
    int maxRank = -1;
    for (int r : ranks.values()) {
      maxRank = Math.max(maxRank, r);
    }
    long vocab = (long) maxRank + 1 + specialTokens;
    if (vocab > Integer.MAX_VALUE || vocab < 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s: the vocabulary size (largest rank + 1 + %d special tokens) is not in [2, %d]: %d",
          file, specialTokens, Integer.MAX_VALUE, vocab));
    }
    Map<String, Integer> specials = new LinkedHashMap<>();
    for (int i = 0; i < specialTokens; i++) {
      specials.put("<|special:" + (maxRank + 1 + i) + "|>", maxRank + 1 + i);
    }
    String fingerprint = TokenizerFile.sha256(bytes)
        + (splitPattern.equals(TextTokenizer.LLAMA3_SPLIT_PATTERN) ? "" : ";split-sha256:" + TokenizerFile.sha256(splitPattern));
    String name = TokenizerFile.identity(TokenizerFile.TIKTOKEN, file, fingerprint);
    // A registry of its own: jtokkit registries refuse a second encoding of the same name.
    Encoding enc = Encodings.newLazyEncodingRegistry()
        .registerGptBytePairEncoding(new GptBytePairEncodingParams(name, pattern, ranks, specials))
        .getEncoding(name)
        .orElseThrow(() -> new IllegalStateException("jtokkit did not register " + name));
    return new JtokkitTokenizer(enc, name, (int) vocab, Normalization.NONE);
  }

  /** Parses and checks the lines: base64, one space, a decimal rank; tokens and ranks distinct; every byte present. */
  private static Map<byte[], Integer> parse(Path file, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    Map<byte[], Integer> ranks = new HashMap<>();
    Set<String> seenTokens = new HashSet<>();
    Set<Integer> seenRanks = new HashSet<>();
    boolean[] singleBytes = new boolean[256];
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      int sp = line.indexOf(' ');
      if (sp <= 0 || sp != line.lastIndexOf(' ')) {
        throw bad(file, lineNo, "not \"BASE64 RANK\"");
      }
      byte[] token;
      try {
        token = Base64.getDecoder().decode(line.substring(0, sp));
      } catch (IllegalArgumentException e) {
        throw bad(file, lineNo, "the token is not valid base64");
      }
      int rank;
      try {
        rank = Integer.parseInt(line.substring(sp + 1));
      } catch (NumberFormatException e) {
        rank = -1;
      }
      if (rank < 0 || rank == Integer.MAX_VALUE) {
        throw bad(file, lineNo, "the rank is not an integer in [0, " + Integer.MAX_VALUE + "): " + line.substring(sp + 1));
      }
      if (token.length == 0) {
        throw bad(file, lineNo, "the token is empty");
      }
      if (!seenTokens.add(line.substring(0, sp))) {
        throw bad(file, lineNo, "the token appears twice");
      }
      if (!seenRanks.add(rank)) {
        throw bad(file, lineNo, "rank " + rank + " appears twice");
      }
      if (token.length == 1) {
        singleBytes[token[0] & 0xff] = true;
      }
      ranks.put(token, rank);
    }
    for (int b = 0; b < 256; b++) {
      if (!singleBytes[b]) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s: not a byte-level rank file: no token for the single byte 0x%02x", file, b));
      }
    }
    return ranks;
  }

  private static IllegalArgumentException bad(Path file, int line, String what) {
    return new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: not a tiktoken rank file: %s", file, line, what));
  }
}
