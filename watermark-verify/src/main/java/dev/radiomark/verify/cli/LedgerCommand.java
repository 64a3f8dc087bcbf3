package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.ledger.ServedWindowLedger;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code wm ledger}: served-window ledgers written by serving replicas.
 *
 * <pre>
 * wm ledger info FILE              key fingerprint, spec, windows, capacity, filters, estimated FPR (JSON)
 * wm ledger merge --out FILE IN... one ledger of all the windows of IN (same key fingerprint and spec)
 * wm ledger upgrade --key FILE --out FILE IN   a version 1 ledger as version 2, bound to the key
 * </pre>
 *
 * <p>A damaged file, a file of another version, or inputs of different keys or specs are key
 * errors (exit 4); an unreadable or unwritable file is an I/O error (exit 5).
 */
@Command(name = "ledger", mixinStandardHelpOptions = true,
    description = "Inspect and merge served-window ledgers.",
    subcommands = {LedgerCommand.Info.class, LedgerCommand.Merge.class, LedgerCommand.Upgrade.class})
final class LedgerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of info, merge, upgrade");
  }

  /** {@code wm ledger info FILE}. */
  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Prints a ledger's key fingerprint, spec, windows, capacity, filters and estimated false-positive rate as JSON.")
  static final class Info implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "ledger file")
    Path file;

    @Override
    public Integer call() {
      ServedWindowLedger l = Cli.loadLedger(file);
      PrintWriter err = spec.commandLine().getErr();
      Cli.warnIfOverCapacity(err, file.toString(), l);
      ObjectNode doc = Cli.JSON.createObjectNode();
      doc.put("file", file.toString());
      doc.put("format_version", ServedWindowLedger.VERSION);
      doc.setAll(Cli.ledgerJson(l));
      Cli.writeJson(spec.commandLine().getOut(), doc);
      return WmCommand.EXIT_OK;
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** {@code wm ledger merge --out FILE IN...}. */
  @Command(name = "merge", mixinStandardHelpOptions = true,
      description = {"Merges ledgers of one key (for example one per serving replica) into one file.",
          "An existing --out is merged in too, never replaced by less: a ledger only grows."})
  static final class Merge implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "merged ledger (written atomically)")
    Path out;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "ledger files of one key fingerprint and spec")
    List<Path> inputs;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      List<Path> all = new ArrayList<>();
      boolean outExists = Files.exists(out);
      if (outExists) {
        all.add(out);
      }
      for (Path p : inputs) {
        if (!(outExists && sameFile(p, out))) {
          all.add(p);
        }
      }
      ServedWindowLedger merged = null;
      for (Path p : all) {
        ServedWindowLedger l = Cli.loadLedger(p);
        if (merged == null) {
          merged = l;
        } else {
          try {
            merged.merge(l);
          } catch (IllegalArgumentException e) {
            throw WmException.key(p + ": cannot merge into " + all.get(0) + ": " + e.getMessage(), e);
          }
        }
      }
      try {
        merged.save(out);
      } catch (UncheckedIOException e) {
        throw WmException.io(e.getMessage(), e);
      }
      err.printf(Locale.ROOT, "wm ledger merge: %s%s into %s: %s in %s, estimated FPR %.4g%n",
          outExists ? "the existing " + out + " and " : "", Plural.of(inputs.size(), "file"), out,
          Plural.of(merged.distinctWindows(), "window"), Plural.of(merged.filterCount(), "filter"),
          merged.estimatedFalsePositiveRate());
      Cli.warnIfOverCapacity(err, out.toString(), merged);
      ObjectNode doc = Cli.JSON.createObjectNode();
      doc.put("file", out.toString());
      doc.put("merged_existing", outExists);
      doc.put("inputs", inputs.size());
      doc.setAll(Cli.ledgerJson(merged));
      Cli.writeJson(spec.commandLine().getOut(), doc);
      return WmCommand.EXIT_OK;
    }
  }

  /** {@code wm ledger upgrade --key FILE --out FILE IN}. */
  @Command(name = "upgrade", mixinStandardHelpOptions = true,
      description = {"Converts a version 1 ledger (no checksum, bound to a key id) to version 2, bound to the key's fingerprint.",
          "The key file must be the one the windows were recorded under: its id and spec must match the ledger's."})
  static final class Upgrade implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file the windows were recorded under")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "version 2 ledger to create")
    Path out;

    @Parameters(paramLabel = "IN", description = "version 1 ledger file")
    Path in;

    @Override
    public Integer call() {
      if (Files.exists(out)) {
        throw WmException.io(out + ": already exists; upgrade writes a new file", null);
      }
      ServedWindowLedger l;
      try {
        l = ServedWindowLedger.loadVersion1(in, Cli.loadKey(key).watermarker());
      } catch (UncheckedIOException | IllegalArgumentException e) {
        throw WmException.key(e.getMessage(), e);
      }
      try {
        l.save(out);
      } catch (UncheckedIOException e) {
        throw WmException.io(e.getMessage(), e);
      }
      spec.commandLine().getErr().printf(Locale.ROOT, "wm ledger upgrade: %s (version 1) to %s (version %d), key %s,"
          + " fingerprint %s: %,d windows, estimated FPR %.4g%n", in, out, ServedWindowLedger.VERSION, l.keyId(),
          l.keyFingerprint(), l.distinctWindows(), l.estimatedFalsePositiveRate());
      ObjectNode doc = Cli.JSON.createObjectNode();
      doc.put("file", out.toString());
      doc.put("format_version", ServedWindowLedger.VERSION);
      doc.setAll(Cli.ledgerJson(l));
      Cli.writeJson(spec.commandLine().getOut(), doc);
      return WmCommand.EXIT_OK;
    }
  }
}
