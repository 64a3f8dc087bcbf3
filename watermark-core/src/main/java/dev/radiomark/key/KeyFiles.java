package dev.radiomark.key;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import dev.radiomark.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads and writes key files: versioned JSON, format {@code radiomark-key} version 2, written
 * atomically and durably with owner-only permissions (0600) where the file system supports POSIX
 * permissions, and never replaced. Layout:
 *
 * <pre>
 * {"format":"radiomark-key","version":2,"key_id":"...","secret":"&lt;base64&gt;",
 *  "spec":{"scheme":"green-list","scheme_version":1,"tokenizer":"o200k_base","vocab_size":200019,
 *          "context_width":1,"window_rule":"ordered","gamma":0.25,"delta":2.0,"layers":30},
 *  "fingerprint":"&lt;32 hex&gt;","checksum":"&lt;64 hex&gt;"}
 * </pre>
 *
 * <p>{@code fingerprint} is {@link WatermarkKey#fingerprint()}; {@code checksum} is the SHA-256 of
 * the canonical text of every other member ({@link #checksum}, docs/SPEC.md section 7). Both are
 * verified on reading, so a changed character anywhere in the file is refused rather than giving
 * another key. Version 1 files (without them) are still read, with a warning. Content after the
 * JSON object is refused.
 *
 * <p>Errors name the file and the field; the secret is never part of a message.
 */
public final class KeyFiles {
  /** Format name in the {@code format} field. */
  public static final String FORMAT = "radiomark-key";
  /** Current format version, the one written. */
  public static final int VERSION = 2;

  private static final System.Logger LOG = System.getLogger(KeyFiles.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> TOP_V1 = Set.of("format", "version", "key_id", "secret", "spec");
  private static final Set<String> TOP = Set.of("format", "version", "key_id", "secret", "spec", "fingerprint", "checksum");
  private static final Set<String> SPEC = Set.of("scheme", "scheme_version", "tokenizer", "vocab_size",
      "context_width", "window_rule", "gamma", "delta", "layers");

  private KeyFiles() {}

  /**
   * Writes a key file; refuses to replace an existing file.
   *
   * @param path target path
   * @param content key and spec
   * @throws UncheckedIOException if the file exists or cannot be written; nothing is left behind
   */
  public static void write(Path path, KeyFile content) {
    writeAll(Map.of(path, content));
  }

  /**
   * Writes several key files, all or none: if any of them exists or cannot be written, none is
   * left behind (files already published by this call are removed again).
   *
   * @param files targets and contents
   * @throws UncheckedIOException naming the file that failed
   */
  public static void writeAll(Map<Path, KeyFile> files) {
    Map<Path, AtomicFiles.Content> contents = new LinkedHashMap<>();
    for (Map.Entry<Path, KeyFile> e : files.entrySet()) {
      byte[] bytes = toBytes(e.getValue());
      contents.put(e.getKey(), out -> out.write(bytes));
    }
    try {
      AtomicFiles.createAll(contents, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + e.getMessage(), e);
    }
  }

  private static byte[] toBytes(KeyFile content) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("key_id", content.key().id());
    byte[] secret = content.key().secret();
    String b64 = Base64.getEncoder().encodeToString(secret);
    Arrays.fill(secret, (byte) 0);
    root.put("secret", b64);
    root.set("spec", specToJson(content.spec()));
    root.put("fingerprint", content.key().fingerprint());
    root.put("checksum", checksum(content.key().id(), b64, content.spec(), content.key().fingerprint()));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a key file", e);
    }
  }

  /**
   * The checksum of a version 2 key file: SHA-256, as 64 lowercase hex digits, of the UTF-8 text
   * made of these lines, each ended by LF: {@code radiomark-key}, {@code 2}, the key id, the
   * secret's base64 exactly as in the file, the scheme label, the scheme version, the tokenizer,
   * the vocabulary size, the context width, the window rule label, gamma and delta as the 16
   * lowercase hex digits of their IEEE 754 binary64 bits, the layers, the fingerprint. Integers
   * in decimal ASCII.
   *
   * @param keyId key id
   * @param secretBase64 the secret as written in the file
   * @param spec the spec
   * @param fingerprint the key fingerprint
   * @return 64 lowercase hex digits
   */
  static String checksum(String keyId, String secretBase64, WatermarkSpec spec, String fingerprint) {
    String canonical = String.join("\n", FORMAT, "2", keyId, secretBase64,
        spec.scheme().label(), Integer.toString(spec.version()), spec.tokenizer(),
        Integer.toString(spec.vocabSize()), Integer.toString(spec.contextWidth()), spec.windowRule().label(),
        hexBits(spec.gamma()), hexBits(spec.delta()), Integer.toString(spec.layers()), fingerprint) + "\n";
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private static String hexBits(double x) {
    return String.format(Locale.ROOT, "%016x", Double.doubleToLongBits(x));
  }

  /**
   * Reads a key file. A version 1 file (no checksum) is accepted with a warning logged through
   * {@link System.Logger}.
   *
   * @param path the file
   * @return its key and spec
   * @throws IllegalArgumentException naming the file and what is wrong with it
   * @throws UncheckedIOException if it cannot be read
   */
  public static KeyFile read(Path path) {
    return read(path, w -> LOG.log(System.Logger.Level.WARNING, w));
  }

  /**
   * Reads a key file, handing warnings (a version 1 file without a checksum) to {@code warnings}.
   *
   * @param path the file
   * @param warnings receives one line per warning, naming the file
   * @return its key and spec
   * @throws IllegalArgumentException naming the file and what is wrong with it
   * @throws UncheckedIOException if it cannot be read
   */
  public static KeyFile read(Path path, Consumer<String> warnings) {
    byte[] bytes;
    try {
      if (Files.isDirectory(path)) {
        throw new IOException("is a directory, not a key file");
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(path + ": cannot read key file: no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException(path + ": cannot read key file: permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read key file: " + e.getMessage(), e);
    }
    return parse(path.toString(), new String(bytes, StandardCharsets.UTF_8), warnings);
  }

  /**
   * Parses key file content, logging warnings as {@link #read(Path)} does.
   *
   * @param source name used in error messages
   * @param json file content
   * @return its key and spec
   * @throws IllegalArgumentException naming the source and what is wrong
   */
  public static KeyFile parse(String source, String json) {
    return parse(source, json, w -> LOG.log(System.Logger.Level.WARNING, w));
  }

  /**
   * Parses key file content.
   *
   * @param source name used in error messages
   * @param json file content
   * @param warnings receives one line per warning, naming the source
   * @return its key and spec
   * @throws IllegalArgumentException naming the source and what is wrong
   */
  public static KeyFile parse(String source, String json, Consumer<String> warnings) {
    JsonNode root;
    try (JsonParser p = JSON.createParser(json)) {
      root = p.readValueAsTree();
      int line = p.currentLocation().getLineNr();
      boolean more;
      try {
        more = p.nextToken() != null;
      } catch (JsonProcessingException e) {
        more = true;
      }
      if (more) {
        throw new IllegalArgumentException(source + ": invalid key file: content after the JSON object, which ends on line " + line);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not a key file: malformed JSON at line "
          + e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not a key file: " + e.getMessage());
    }
    try {
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      if (!root.has("format") || !FORMAT.equals(text(root, "format"))) {
        throw new IllegalArgumentException("format is not \"" + FORMAT + "\"");
      }
      if (!root.has("version")) {
        throw new IllegalArgumentException("missing field version");
      }
      int version = integer(root, "version");
      if (version != 1 && version != VERSION) {
        throw new IllegalArgumentException("version is not supported: " + version + " (this library reads 1 and " + VERSION + ")");
      }
      checkFields(root, version == 1 ? TOP_V1 : TOP, "");
      String id = text(root, "key_id");
      String b64 = text(root, "secret");
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("secret is not valid base64");
      }
      JsonNode s = root.get("spec");
      if (s == null || !s.isObject()) {
        throw new IllegalArgumentException("spec is missing or not an object");
      }
      checkFields(s, SPEC, "spec.");
      WatermarkSpec spec = new WatermarkSpec(
          Scheme.fromLabel(text(s, "scheme")),
          integer(s, "scheme_version"),
          text(s, "tokenizer"),
          integer(s, "vocab_size"),
          integer(s, "context_width"),
          WindowRule.fromLabel(text(s, "window_rule")),
          number(s, "gamma"),
          number(s, "delta"),
          integer(s, "layers"));
      WatermarkKey key = WatermarkKey.of(id, secret);
      Arrays.fill(secret, (byte) 0);
      if (version == 1) {
        warnings.accept(source + ": key file version 1 has no checksum, so damage to it cannot be detected;"
            + " write it again as version " + VERSION + " (KeyFiles.write) to protect it");
      } else {
        String fp = text(root, "fingerprint");
        if (!fp.equals(key.fingerprint())) {
          throw new IllegalArgumentException("fingerprint does not match the secret: the file was changed or damaged");
        }
        if (!text(root, "checksum").equals(checksum(id, b64, spec, fp))) {
          throw new IllegalArgumentException("checksum does not match the content: the file was changed or damaged");
        }
      }
      return new KeyFile(key, spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": invalid key file: " + e.getMessage(), e);
    }
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException("unknown field " + prefix + f);
      }
    }
    for (String f : allowed) {
      if (!node.has(f)) {
        throw new IllegalArgumentException("missing field " + prefix + f);
      }
    }
  }

  private static String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field " + f + " is not a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException("field " + f + " is not a 32-bit integer");
    }
    return v.intValue();
  }

  private static double number(JsonNode n, String f) {
    JsonNode v = n.get(f);
    if (!v.isNumber()) {
      throw new IllegalArgumentException("field " + f + " is not a number");
    }
    return v.doubleValue();
  }

  /**
   * The spec as a JSON object (the {@code spec} member of a key file).
   *
   * @param spec the spec
   * @return a new JSON object
   */
  public static ObjectNode specToJson(WatermarkSpec spec) {
    ObjectNode s = JSON.createObjectNode();
    s.put("scheme", spec.scheme().label());
    s.put("scheme_version", spec.version());
    s.put("tokenizer", spec.tokenizer());
    s.put("vocab_size", spec.vocabSize());
    s.put("context_width", spec.contextWidth());
    s.put("window_rule", spec.windowRule().label());
    s.put("gamma", spec.gamma());
    s.put("delta", spec.delta());
    s.put("layers", spec.layers());
    return s;
  }
}
