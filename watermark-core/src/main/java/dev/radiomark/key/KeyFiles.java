package dev.radiomark.key;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads and writes key files: versioned JSON, format {@code radiomark-key} version 1, written
 * atomically with owner-only permissions (0600) where the file system supports POSIX
 * permissions. Layout:
 *
 * <pre>
 * {"format":"radiomark-key","version":1,"key_id":"...","secret":"&lt;base64&gt;",
 *  "spec":{"scheme":"green-list","scheme_version":1,"tokenizer":"o200k_base","vocab_size":200019,
 *          "context_width":1,"window_rule":"ordered","gamma":0.25,"delta":2.0,"layers":30}}
 * </pre>
 *
 * <p>Errors name the file and the field; the secret is never part of a message.
 */
public final class KeyFiles {
  /** Format name in the {@code format} field. */
  public static final String FORMAT = "radiomark-key";
  /** Current format version. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> TOP = Set.of("format", "version", "key_id", "secret", "spec");
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
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("key_id", content.key().id());
    byte[] secret = content.key().secret();
    root.put("secret", Base64.getEncoder().encodeToString(secret));
    java.util.Arrays.fill(secret, (byte) 0);
    root.set("spec", specToJson(content.spec()));
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      if (Files.exists(path)) {
        throw new FileAlreadyExistsException(path.toString(), null, "key file exists; refusing to replace it");
      }
      tmp = Files.createTempFile(dir, ".wmkey", ".tmp");
      restrict(tmp);
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      // A hard link publishes the complete file atomically and fails if the target exists,
      // so a key file is never replaced, even by a racing writer.
      try {
        Files.createLink(path, tmp);
      } catch (UnsupportedOperationException e) {
        Files.move(tmp, path);
        tmp = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot write key file: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file holds the secret, but the original error matters more
        }
      }
    }
  }

  private static void restrict(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the platform's defaults apply.
    }
  }

  /**
   * Reads a key file.
   *
   * @param path the file
   * @return its key and spec
   * @throws IllegalArgumentException naming the file and what is wrong with it
   * @throws UncheckedIOException if it cannot be read
   */
  public static KeyFile read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read key file: " + e.getMessage(), e);
    }
    return parse(path.toString(), new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Parses key file content.
   *
   * @param source name used in error messages
   * @param json file content
   * @return its key and spec
   * @throws IllegalArgumentException naming the source and what is wrong
   */
  public static KeyFile parse(String source, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not a key file: malformed JSON at line "
          + e.getLocation().getLineNr());
    }
    try {
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      checkFields(root, TOP, "");
      if (!FORMAT.equals(text(root, "format"))) {
        throw new IllegalArgumentException("format is not \"" + FORMAT + "\"");
      }
      int version = integer(root, "version");
      if (version != VERSION) {
        throw new IllegalArgumentException("version is not supported: " + version + " (this library reads " + VERSION + ")");
      }
      String id = text(root, "key_id");
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(text(root, "secret"));
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
      java.util.Arrays.fill(secret, (byte) 0);
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
