package dev.radiomark.verify.cli;

import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import dev.radiomark.Watermarker;
import dev.radiomark.verify.result.KeyInfo;
import dev.radiomark.verify.result.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the commands tell every writer about a run: keys (public parts only), input hash, version. */
final class Reports {
  private Reports() {}

  static RunInfo runInfo(String command, String mode, double alpha, String correction, String tokenizer,
      List<Watermarker> keys, String input, Map<String, String> parameters) {
    return new RunInfo(command, mode, alpha, correction, tokenizer, keys.stream().map(KeyInfo::of).toList(),
        Cli.source(input), sha256(input), version(), parameters);
  }

  /**
   * As {@link #runInfo(String, String, double, String, String, List, String, Map)} for several
   * {@code --input} values: the names joined, and each file's SHA-256 beside its name (a folder
   * stands for the files it holds; they are not hashed one by one).
   */
  static RunInfo runInfo(String command, String mode, double alpha, String correction, String tokenizer,
      List<Watermarker> keys, List<String> inputs, Map<String, String> parameters) {
    if (inputs.size() == 1) {
      return runInfo(command, mode, alpha, correction, tokenizer, keys, inputs.get(0), parameters);
    }
    StringBuilder hashes = new StringBuilder();
    for (String in : inputs) {
      String h = sha256(in);
      if (h != null) {
        hashes.append(hashes.length() == 0 ? "" : "; ").append(Cli.source(in)).append(' ').append(h);
      }
    }
    return new RunInfo(command, mode, alpha, correction, tokenizer, keys.stream().map(KeyInfo::of).toList(),
        String.join(", ", inputs.stream().map(Cli::source).toList()), hashes.length() == 0 ? null : hashes.toString(),
        version(), parameters);
  }

  /**
   * The SHA-256 of an input file, read once more before scoring; null for stdin, which cannot be
   * read twice. A file that does not exist is left to the reader to report.
   */
  static String sha256(String input) {
    if ("-".equals(input)) {
      return null;
    }
    Path p = Path.of(input);
    if (!Files.isRegularFile(p)) {
      return null;
    }
    try {
      return MoreFiles.asByteSource(p).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw WmException.io("cannot read input: " + Cli.ioMessage(e), e);
    }
  }

  /**
   * The message of a failure to write a run's outputs: an output file's failure is named by
   * {@link dev.radiomark.io.AtomicFiles} ("TARGET: reason"); anything else is the spool file's.
   */
  static String writeError(Exception e, Path spool, Path... targets) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    for (Path t : targets) {
      if (t != null && m.startsWith(t + ": ")) {
        return "cannot write " + m;
      }
    }
    return "cannot write the spool file " + spool + ": " + Cli.ioMessage(e);
  }

  static String version() {
    try {
      return new WmCommand.Version().getVersion()[0];
    } catch (IOException e) {
      return "wm (Radiomark) unknown version";
    }
  }
}
