package dev.radiomark.verify.spark;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The keys of a scan, in a form that travels to executors: the text of each key file and,
 * for attribution, the tenant labels whose sub-keys ({@link KeyFile#forTenant}, HMAC-SHA256
 * derivation of {@code WatermarkKey}) are derived from one master key on each executor.
 *
 * <p>Holds key material: it is never printed ({@link #toString} names the key count only); Spark
 * ships it to executors inside task closures, which Spark does not log.
 */
public final class ScanKeys implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> sources;
  private final List<String> texts;
  private final List<String> tenants;
  private transient List<KeyFile> loaded;

  private ScanKeys(List<String> sources, List<String> texts, List<String> tenants) {
    this.sources = List.copyOf(sources);
    this.texts = List.copyOf(texts);
    this.tenants = tenants == null ? null : List.copyOf(tenants);
    load(); // fail on the driver, naming the file, rather than on an executor
  }

  /**
   * The keys of the given key files, in order; all must use one tokenizer.
   *
   * @param files key files ({@code wm keygen})
   * @return the keys
   * @throws UncheckedIOException if a file cannot be read
   * @throws IllegalArgumentException if a file is not a valid key file, or tokenizers differ
   */
  public static ScanKeys files(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("files is empty");
    }
    List<String> src = new ArrayList<>();
    List<String> txt = new ArrayList<>();
    for (Path p : files) {
      src.add(p.toString());
      txt.add(read(p));
    }
    return new ScanKeys(src, txt, null);
  }

  /**
   * The tenant sub-keys of one master key, one per label, in order (ids
   * {@code MASTER/tenant=LABEL}).
   *
   * @param master the master key file
   * @param tenants tenant labels, at least one, each of the key-id character set
   * @return the keys
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if the file is not a valid key file or a label is invalid
   */
  public static ScanKeys tenants(Path master, List<String> tenants) {
    if (tenants.isEmpty()) {
      throw new IllegalArgumentException("tenants is empty");
    }
    return new ScanKeys(List.of(master.toString()), List.of(read(master)), tenants);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key file " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key files, parsed (and derived) once per JVM instance of this object.
   *
   * @return the keys, in order
   */
  public synchronized List<KeyFile> load() {
    if (loaded == null) {
      List<KeyFile> out = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        out.add(KeyFiles.parse(sources.get(i), texts.get(i)));
      }
      if (tenants != null) {
        KeyFile master = out.get(0);
        out.clear();
        for (String t : tenants) {
          out.add(master.forTenant(t));
        }
      }
      WatermarkSpec first = out.get(0).spec();
      for (int i = 1; i < out.size(); i++) {
        WatermarkSpec s = out.get(i).spec();
        if (!s.tokenizer().equals(first.tokenizer()) || s.vocabSize() != first.vocabSize()) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "tokenizer mismatch: %s uses %s (%d tokens) but %s uses %s (%d tokens); scan keys of one tokenizer at a time",
              sources.get(0), first.tokenizer(), first.vocabSize(), sources.get(i), s.tokenizer(), s.vocabSize()));
        }
      }
      loaded = List.copyOf(out);
    }
    return loaded;
  }

  /** @return the number of keys */
  public int size() {
    return tenants == null ? texts.size() : tenants.size();
  }

  @Override
  public String toString() {
    return "ScanKeys[" + size() + " keys]";
  }
}
