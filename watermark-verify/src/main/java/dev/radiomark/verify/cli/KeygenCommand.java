package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm keygen}: writes a new key file (owner-only permissions, never overwritten) and,
 * with {@code --tenant}, one derived key file per tenant beside it, all or none (a failure leaves
 * no file of this run behind). Prints the key id, fingerprint and spec as JSON, never the secret.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Generates a key file with a fresh 256-bit secret.", "",
        "The file is written with permissions 0600 and never overwritten; the secret is never printed. "
            + "Defaults: green-list, gamma 0.25, delta 3, ordered windows of width h = 4, the smallest h whose "
            + "per-document false-positive rate under one key stayed within sampling error on human text "
            + "(docs/verification.md). Smaller h or min-hash/self-seeding windows print a warning.", ""})
final class KeygenCommand implements Callable<Integer> {
  /** A tenant name is part of a file name: no separators, no "..", no hidden files. */
  private static final Pattern TENANT = Pattern.compile("(?!\\.)[A-Za-z0-9._-]{1,64}");

  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "key file to create")
  Path out;

  @Option(names = "--id", paramLabel = "NAME",
      description = "public key id (default: the file name without its extension)")
  String id;

  @Option(names = "--tenant", paramLabel = "NAME",
      description = "also write the derived key of this tenant to FILE-STEM.NAME.json (repeatable);"
          + " NAME is 1 to 64 of A-Z a-z 0-9 . _ - and does not start with '.'")
  List<String> tenants = new ArrayList<>();

  @Mixin
  SpecOptions specOptions;

  @Override
  public Integer call() {
    WatermarkSpec ws = specOptions.build();
    String warning = SpecOptions.perKeyWarning(ws);
    if (warning != null) {
      spec.commandLine().getErr().println(warning);
    }
    String stem = stem(out);
    WatermarkKey key;
    try {
      key = WatermarkKey.generate(id == null ? stem : id);
    } catch (IllegalArgumentException e) {
      throw WmException.usage((id == null ? "--id (from the file name): " : "--id: ") + e.getMessage());
    }
    KeyFile main = new KeyFile(key, ws);
    Map<Path, KeyFile> files = new LinkedHashMap<>();
    files.put(out, main);
    for (String t : tenants) {
      if (!TENANT.matcher(t).matches()) {
        throw WmException.usage("--tenant must be 1 to 64 of A-Z a-z 0-9 . _ - and not start with '.': \"" + t + "\"");
      }
      Path p = out.resolveSibling(stem + "." + t + ".json");
      if (files.put(p, main.forTenant(t)) != null) {
        throw WmException.usage("--tenant given twice: " + t);
      }
    }
    // All files or none: nothing is published unless every file could be written.
    try {
      KeyFiles.writeAll(files);
    } catch (UncheckedIOException ex) {
      throw ex.getCause() instanceof FileAlreadyExistsException
          ? WmException.io(ex.getMessage() + "; keygen never overwrites a key file", ex)
          : WmException.io(ex.getMessage(), ex);
    }
    ObjectNode doc = Cli.JSON.createObjectNode();
    ArrayNode written = Cli.JSON.createArrayNode();
    for (Map.Entry<Path, KeyFile> e : files.entrySet()) {
      spec.commandLine().getErr().println(String.format(Locale.ROOT, "wrote key %s (fingerprint %s, %s) to %s; keep this file secret",
          e.getValue().key().id(), e.getValue().key().fingerprint(), ws.describe(), e.getKey()));
      if (e.getValue() != main) {
        ObjectNode t = written.addObject();
        t.put("key_id", e.getValue().key().id());
        t.put("fingerprint", e.getValue().key().fingerprint());
        t.put("file", e.getKey().toString());
      }
    }
    doc.put("key_id", key.id());
    doc.put("fingerprint", key.fingerprint());
    doc.put("file", out.toString());
    doc.set("spec", Cli.specJson(ws));
    if (!tenants.isEmpty()) {
      doc.set("tenants", written);
    }
    Cli.writeJson(spec.commandLine().getOut(), doc);
    return WmCommand.EXIT_OK;
  }

  private static String stem(Path p) {
    Path name = p.getFileName();
    if (name == null) {
      throw WmException.usage("--out is not a file name: " + p);
    }
    String s = name.toString();
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}
