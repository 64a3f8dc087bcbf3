package dev.radiomark.verify.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The input files named on a command line: files, folders and {@code -} (standard input),
 * expanded into the list of sources to read, in a stable order.
 *
 * <p>Each argument is taken in the order given. A file is read whatever its name. A folder is
 * read recursively: every regular file under it whose name ends with the format's suffix
 * ({@code .jsonl} for JSON Lines, {@code .txt} for plain text), skipping files and folders whose
 * name starts with a dot, in ascending order of their path relative to the folder ({@code /}
 * separated, compared by UTF-16 code units, so {@code a/z.txt} before {@code b.txt}); symbolic
 * links inside a folder are not followed. A file reached twice (named and inside a named folder,
 * or named twice) is read once, at its first place. Only paths are listed: the files themselves
 * are read one at a time by the caller.
 */
public final class InputFiles {
  /** The command-line name of standard input. */
  public static final String STDIN = "-";
  /** The name of standard input in messages and record ids. */
  public static final String STDIN_NAME = "<stdin>";

  private InputFiles() {}

  /**
   * Expands the arguments into the sources to read.
   *
   * @param inputs the {@code --input} values, at least one
   * @param suffix the file-name suffix a file inside a folder must have, for example
   *     {@code ".jsonl"}
   * @return the sources: paths as strings (a folder's files as {@code FOLDER/RELATIVE}), or
   *     {@link #STDIN}
   * @throws UncheckedIOException (cause {@link NoSuchFileException}) naming an input that does not
   *     exist, or naming a folder without any file matching {@code suffix}, or if a folder cannot
   *     be listed
   * @throws IllegalArgumentException if {@code inputs} is empty or names standard input twice
   */
  public static List<String> expand(List<String> inputs, String suffix) {
    Objects.requireNonNull(suffix, "suffix");
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("--input: no input given");
    }
    List<String> out = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    boolean stdin = false;
    for (String in : inputs) {
      if (STDIN.equals(in)) {
        if (stdin) {
          throw new IllegalArgumentException("--input: standard input (-) is given twice");
        }
        stdin = true;
        out.add(in);
        continue;
      }
      Path p = Path.of(in);
      if (Files.isDirectory(p)) {
        List<String> files = folder(p, suffix);
        if (files.isEmpty()) {
          throw new UncheckedIOException(in + ": folder has no input file (*" + suffix
              + ", not hidden)", new NoSuchFileException(in));
        }
        for (String f : files) {
          if (seen.add(identity(Path.of(f)))) {
            out.add(f);
          }
        }
      } else if (Files.exists(p)) {
        if (seen.add(identity(p))) {
          out.add(in);
        }
      } else {
        throw new UncheckedIOException(in + ": no such file", new NoSuchFileException(in));
      }
    }
    return out;
  }

  /**
   * The file-name suffix of a folder's input files for a format.
   *
   * @param jsonl true for JSON Lines, false for plain text
   * @return {@code ".jsonl"} or {@code ".txt"}
   */
  public static String suffix(boolean jsonl) {
    return jsonl ? ".jsonl" : ".txt";
  }

  /**
   * The name of a source in messages and record ids.
   *
   * @param source a source returned by {@link #expand}
   * @return the path, or {@link #STDIN_NAME} for {@link #STDIN}
   */
  public static String displayName(String source) {
    return STDIN.equals(source) ? STDIN_NAME : source;
  }

  private static Path identity(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static List<String> folder(Path root, String suffix) {
    List<String[]> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(f -> {
        Path rel = root.relativize(f);
        if (rel.toString().isEmpty() || hidden(rel) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
            || !f.getFileName().toString().endsWith(suffix)) {
          return;
        }
        List<String> parts = new ArrayList<>();
        rel.forEach(part -> parts.add(part.toString()));
        found.add(new String[] {String.join("/", parts), f.toString()});
      });
    } catch (IOException | UncheckedIOException e) {
      IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
      throw new UncheckedIOException(String.format(Locale.ROOT, "%s: cannot list the folder: %s", root,
          cause.getMessage()), cause);
    }
    found.sort(Comparator.comparing((String[] a) -> a[0]));
    List<String> out = new ArrayList<>(found.size());
    for (String[] a : found) {
      out.add(a[1]);
    }
    return out;
  }

  private static boolean hidden(Path rel) {
    for (Path part : rel) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
