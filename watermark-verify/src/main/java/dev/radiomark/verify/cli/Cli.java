package dev.radiomark.verify.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Dedup;
import dev.radiomark.verify.text.InputFiles;
import dev.radiomark.verify.text.InputFormatException;
import dev.radiomark.verify.text.JsonlReader;
import dev.radiomark.verify.text.Normalization;
import dev.radiomark.verify.text.PlainTextReader;
import dev.radiomark.verify.text.ReadSummary;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.Map;

/** Shared plumbing of the subcommands: input, key files, JSON output. */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Name of standard input on the command line. */
  static final String STDIN = "-";

  private Cli() {}

  /** Input formats of {@code --format}. */
  enum Format {
    /** JSON Lines, one record per line ({@link JsonlReader}). */
    JSONL,
    /** The whole input is one text ({@link PlainTextReader}). */
    TEXT,
    /** Plain text, one text per non-blank line. */
    LINES,
    /** Plain text, one text per paragraph (separated by blank lines). */
    PARAGRAPHS
  }

  /** The de-duplication modes a user may choose: {@link Dedup#NONE} gives invalid p-values. */
  enum DedupOption {
    /** {@link Dedup#TUPLE}. */
    TUPLE,
    /** {@link Dedup#WINDOW}. */
    WINDOW;

    Dedup dedup() {
      return this == TUPLE ? Dedup.TUPLE : Dedup.WINDOW;
    }
  }

  /** One line describing an I/O failure, without a stack trace. */
  static String ioMessage(Throwable e) {
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + ": already exists";
    }
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return u.getMessage() != null ? u.getMessage() : ioMessage(u.getCause());
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** The name of an input in messages: the path, or {@code <stdin>} for "-". */
  static String source(String input) {
    return STDIN.equals(input) ? "<stdin>" : input;
  }

  /** Opens an input file, refusing a directory by name. */
  private static InputStream open(String input) throws IOException {
    if (Files.isDirectory(Path.of(input))) {
      throw WmException.io(input + ": is a directory, not an input file", null);
    }
    return Files.newInputStream(Path.of(input));
  }

  /**
   * Hands the records of {@code input} ("-" for stdin) to {@code action} one at a time, in input
   * order, holding one line (or paragraph) in memory; format errors (FILE:LINE) and I/O errors
   * propagate, and {@code --skip-bad} skips and counts bad JSONL lines.
   */
  static ReadSummary forEachRecord(String input, Format format, boolean skipBad, Consumer<TextRecord> action) {
    String source = source(input);
    try {
      if (STDIN.equals(input)) {
        return forEach(source, System.in, format, skipBad, action);
      }
      try (InputStream in = open(input)) {
        return forEach(source, in, format, skipBad, action);
      }
    } catch (InputFormatException e) {
      throw e;
    } catch (IOException e) {
      throw WmException.io("cannot read input: " + ioMessage(e), e);
    }
  }

  /**
   * Hands the records of every input to {@code action} with the name of the file each came from,
   * one file after the other in {@link InputFiles#expand} order, one record in memory at a time
   * ({@code --format text}: one file). With more than one file, a JSONL record without an id is
   * named {@code FILE:LINE} instead of {@code line-N}, so that ids stay distinct across files.
   * Errors name the file and line; {@code --skip-bad} counts over all files.
   *
   * @param inputs the {@code --input} values: files, folders, or - for stdin
   * @return the counts over all files
   */
  static ReadSummary forEachRecord(List<String> inputs, Format format, boolean skipBad,
      BiConsumer<String, TextRecord> action) {
    List<String> sources;
    try {
      sources = InputFiles.expand(inputs, InputFiles.suffix(format == Format.JSONL));
    } catch (IllegalArgumentException e) {
      throw WmException.usage(e.getMessage());
    } catch (UncheckedIOException e) {
      throw WmException.io(e.getMessage(), e);
    }
    boolean several = sources.size() > 1;
    int records = 0;
    int skipped = 0;
    List<String> errors = new ArrayList<>();
    for (String input : sources) {
      String name = source(input);
      ReadSummary r = forEachRecord(input, format, skipBad, rec -> action.accept(name,
          several && rec.id().equals(TextRecord.defaultId(rec.lineNumber())) ? renamed(rec, name) : rec));
      records += r.records();
      skipped += r.skippedLines();
      for (String e : r.firstErrors()) {
        if (errors.size() < JsonlReader.MAX_ERROR_MESSAGES) {
          errors.add(e);
        }
      }
    }
    return new ReadSummary(records, skipped, errors);
  }

  private static TextRecord renamed(TextRecord r, String name) {
    return r.withId(name + ":" + r.lineNumber());
  }

  private static ReadSummary forEach(String source, InputStream in, Format format, boolean skipBad,
      Consumer<TextRecord> action) throws IOException {
    if (format == Format.LINES || format == Format.PARAGRAPHS) {
      int n = PlainTextReader.forEach(source, in, format == Format.PARAGRAPHS, action);
      return new ReadSummary(n, 0, List.of());
    }
    if (format != Format.JSONL) {
      List<TextRecord> texts = plain(source, in, format);
      texts.forEach(action);
      return new ReadSummary(texts.size(), 0, List.of());
    }
    try {
      return JsonlReader.strict(source).skipBad(skipBad).forEach(in, action);
    } catch (InputFormatException e) {
      throw withPlainTextHint(e);
    }
  }

  private static List<TextRecord> plain(String source, InputStream in, Format format) throws IOException {
    TextRecord whole = PlainTextReader.read(source, in);
    switch (format) {
      case LINES:
        return PlainTextReader.split(whole, false);
      case PARAGRAPHS:
        return PlainTextReader.split(whole, true);
      default:
        return List.of(whole);
    }
  }

  /** A first line that is not JSON is most likely plain text: say how to read it. */
  private static InputFormatException withPlainTextHint(InputFormatException e) {
    if (e.lineNumber() == 1 && e.detail().startsWith("malformed JSON")) {
      return new InputFormatException(e.sourceName(), 1, e.detail()
          + " (is this plain text? use --format text, lines or paragraphs)");
    }
    return e;
  }

  /**
   * Reads a key file and checks that its built-in tokenizer is available with the vocabulary it
   * names (a tokenizer file is checked by {@link #tokenizerFor(WatermarkSpec, Path, TextTokenizer,
   * boolean)} once given); any failure is a key error naming the file. Warnings (a version 1 file)
   * go to stderr.
   */
  static KeyFile loadKey(Path path) {
    KeyFile kf;
    try {
      kf = KeyFiles.read(path, w -> System.err.println("wm: warning: " + w));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw WmException.key(e.getMessage(), e);
    }
    try {
      WatermarkSpec s = kf.spec();
      // A tokenizer file is checked where it is given (tokenizerFor): the key records its identity only.
      if (!TextTokenizer.isFileIdentity(s.tokenizer())) {
        TextTokenizer.requireVocabulary(s.tokenizer(), s.vocabSize(), TextTokenizer.named(s.tokenizer()));
      }
    } catch (IllegalArgumentException e) {
      throw WmException.key(path + ": " + e.getMessage(), e);
    }
    return kf;
  }

  /** Loads a ledger file; any failure (missing, damaged, another version) is a key error, as for key files. */
  static ServedWindowLedger loadLedger(Path path) {
    try {
      return ServedWindowLedger.load(path);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw WmException.key(e.getMessage(), e);
    }
  }

  /**
   * Loads ledger files and merges those of one key fingerprint in memory.
   *
   * @return the merged ledgers by key fingerprint, in the order first given
   * @throws WmException exit 4 if two files of one fingerprint have different specs
   */
  static Map<String, ServedWindowLedger> loadLedgers(List<Path> paths, PrintWriter err) {
    Map<String, ServedWindowLedger> byFingerprint = new LinkedHashMap<>();
    for (Path p : paths) {
      ServedWindowLedger l = loadLedger(p);
      warnIfOverCapacity(err, p.toString(), l);
      ServedWindowLedger seen = byFingerprint.putIfAbsent(l.keyFingerprint(), l);
      if (seen != null) {
        try {
          seen.merge(l);
        } catch (IllegalArgumentException e) {
          throw WmException.key(p + ": cannot merge: " + e.getMessage(), e);
        }
      }
    }
    return byFingerprint;
  }

  /** One stderr line when a filter of the ledger holds more windows than it was sized for. */
  static void warnIfOverCapacity(PrintWriter err, String name, ServedWindowLedger l) {
    if (l.overCapacity()) {
      err.printf(Locale.ROOT, "wm: warning: %s: a filter holds more windows than its capacity;"
          + " estimated false-positive rate %.4g%n", name, l.estimatedFalsePositiveRate());
      err.flush();
    }
  }

  /** The {@code ledger} object of a report: what a verdict's window filter was. */
  static ObjectNode ledgerJson(ServedWindowLedger l) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key_id", l.keyId());
    o.put("fingerprint", l.keyFingerprint());
    o.put("spec", l.specDescription());
    o.put("windows", l.distinctWindows());
    o.put("windows_recorded", l.recordedWindows());
    o.put("capacity", l.capacity());
    o.put("filters", l.filterCount());
    o.put("estimated_fpr", l.estimatedFalsePositiveRate());
    return o;
  }

  /** The tokenizer a spec was made for; an unknown name or a different size is a key error. */
  static TextTokenizer tokenizerFor(WatermarkSpec spec, boolean nfc) {
    return tokenizerFor(spec, null, null, nfc);
  }

  /**
   * The tokenizer of a key: {@code given} (from {@code --tokenizer}) when present, checked against
   * the name, content fingerprint and vocabulary size the key records (a mismatch is a key error
   * naming the key file, the expected and the given tokenizer); else the built-in the key names. A
   * key of a tokenizer file without {@code --tokenizer} is a usage error saying what to give.
   *
   * @param keyFile the key file, for messages; may be null
   */
  static TextTokenizer tokenizerFor(WatermarkSpec spec, Path keyFile, TextTokenizer given, boolean nfc) {
    String where = keyFile == null ? "" : keyFile + ": ";
    TextTokenizer tok;
    if (given == null && TextTokenizer.isFileIdentity(spec.tokenizer())) {
      String kind = spec.tokenizer().substring(0, spec.tokenizer().indexOf(':'));
      throw WmException.usage(String.format(Locale.ROOT,
          "%sthe key was made with the tokenizer file %s (%d tokens): give it with --tokenizer %s:PATH",
          where, spec.tokenizer(), spec.vocabSize(), kind));
    }
    try {
      tok = given != null ? given : TextTokenizer.named(spec.tokenizer());
      TextTokenizer.requireVocabulary(spec.tokenizer(), spec.vocabSize(), tok);
    } catch (IllegalArgumentException e) {
      throw WmException.key(where + e.getMessage(), e);
    }
    return tok.withNormalization(nfc ? Normalization.NFC : Normalization.NONE);
  }

  /**
   * The spec as shown in command output: the key file's {@code spec} object without the
   * parameters its scheme does not use (green-list: no {@code layers}; Gumbel: no {@code gamma},
   * {@code delta} or {@code layers}; tournament: no {@code gamma} or {@code delta}). Key files
   * themselves keep every field: their version 2 format is frozen and checksummed.
   */
  static ObjectNode specJson(WatermarkSpec spec) {
    ObjectNode o = KeyFiles.specToJson(spec);
    switch (spec.scheme()) {
      case GREEN_LIST:
        o.remove("layers");
        break;
      case TOURNAMENT:
        o.remove(List.of("gamma", "delta"));
        break;
      default:
        o.remove(List.of("gamma", "delta", "layers"));
    }
    return o;
  }

  /** Puts a number, or null when it is NaN or infinite (JSON has no such numbers). */
  static void num(ObjectNode o, String field, double x) {
    if (Double.isFinite(x)) {
      o.put(field, x);
    } else {
      o.putNull(field);
    }
  }

  /** Writes the finished document to stdout in one go. */
  static void writeJson(PrintWriter out, JsonNode doc) {
    try {
      out.println(JSON.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the result", e);
    }
    out.flush();
  }

  /** Checks a level in (0, 1), naming the option. */
  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw WmException.usage(String.format(Locale.ROOT, "--alpha is not in (0, 1): %s", alpha));
    }
  }
}
