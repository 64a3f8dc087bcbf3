package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Calibration;
import dev.radiomark.verify.CalibrationReport;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.text.TextBatch;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm calibrate}: scores text written without any key under N fresh keys and checks that
 * the p-values are uniform and that the false-positive rates at 1e-2 and 1e-3 are as designed.
 * Key i scores text {@code i mod T}.
 *
 * <p>Output: {@code {"keys", "texts", "seed", "spec", "skipped_lines", "mean_tuples_scored",
 * "ks": {"statistic", "log10_p"}, "fpr_1e-2": {"count", "rate", "ci": [lo, hi]}, "fpr_1e-3": {...}}}
 * with 95% Clopper-Pearson intervals.
 *
 * <p>With {@code --seed} the keys come from a seeded xoroshiro128++ generator, so a run can be
 * repeated exactly. Such keys are predictable: they serve calibration only and are never written.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Checks the detector's false-positive rate on unwatermarked text under many fresh keys.",
        "The spec comes from --key FILE (its secret is not used) or from the spec options.",
        "Keys made with --seed are predictable: use them for calibration only."})
final class CalibrateCommand implements Callable<Integer> {
  /** Largest accepted --keys. */
  static final int MAX_KEYS = 10_000_000;

  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "text written without the key: input file, or - for stdin")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl or text; default ${DEFAULT-VALUE}")
  Cli.Format format;

  @Option(names = "--skip-bad", description = "skip and count malformed JSONL lines instead of failing")
  boolean skipBad;

  @Option(names = "--nfc", description = "apply Unicode NFC normalization before tokenizing")
  boolean nfc;

  @Option(names = "--keys", required = true, paramLabel = "N", description = "number of fresh keys, in [1, 10000000]")
  int keys;

  @Option(names = "--key", paramLabel = "FILE",
      description = "take the spec (not the secret) from this key file instead of the spec options")
  Path keyFile;

  @Option(names = "--seed", paramLabel = "S", description = "seed for reproducible keys (calibration only)")
  Long seed;

  @Option(names = "--dedup", paramLabel = "MODE", defaultValue = "tuple", description = "tuple (default) or window")
  Cli.DedupOption dedup;

  @Mixin
  SpecOptions specOptions;

  @Override
  public Integer call() {
    if (keys < 1 || keys > MAX_KEYS) {
      throw WmException.usage(String.format(Locale.ROOT, "--keys is not in [1, %d]: %d", MAX_KEYS, keys));
    }
    WatermarkSpec ws;
    if (keyFile != null) {
      if (specOptions.anySet()) {
        throw WmException.usage("--key and the spec options (--scheme, --gamma, ...) exclude each other");
      }
      ws = Cli.loadKey(keyFile).spec();
    } else {
      ws = specOptions.build();
    }
    TextTokenizer tok = Cli.tokenizerFor(ws, nfc);
    TextBatch batch = Cli.readRecords(input, format, skipBad);
    List<int[]> texts = new ArrayList<>();
    for (TextRecord r : batch.records()) {
      texts.add(tok.encode(r.text()));
    }
    IntFunction<WatermarkKey> keySource;
    UniformRandomProvider random;
    if (seed != null) {
      UniformRandomProvider keyRng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
      keySource = i -> {
        byte[] secret = new byte[WatermarkKey.DEFAULT_SECRET_BYTES];
        keyRng.nextBytes(secret);
        return WatermarkKey.of("calibration-" + i, secret);
      };
      random = RandomSource.XO_RO_SHI_RO_128_PP.create(seed ^ 0x9E3779B97F4A7C15L);
    } else {
      keySource = i -> WatermarkKey.generate("calibration-" + i);
      random = RandomSource.XO_RO_SHI_RO_128_PP.create();
    }
    DetectorConfig config = DetectorConfig.defaults().withDedup(dedup.dedup());
    CalibrationReport rep = Calibration.run(texts, ws, keys, config, keySource, random);

    ObjectNode doc = Cli.JSON.createObjectNode();
    doc.put("keys", rep.keys());
    doc.put("texts", texts.size());
    if (seed == null) {
      doc.putNull("seed");
    } else {
      doc.put("seed", seed);
    }
    doc.set("spec", KeyFiles.specToJson(ws));
    doc.put("skipped_lines", batch.summary().skippedLines());
    Cli.num(doc, "mean_tuples_scored", rep.meanTuplesScored());
    ObjectNode ks = doc.putObject("ks");
    Cli.num(ks, "statistic", rep.uniformity().statistic());
    Cli.num(ks, "log10_p", rep.uniformity().log10P());
    putFpr(doc.putObject("fpr_1e-2"), rep.falsePositives1e2(), rep.keys(), rep.interval1e2());
    putFpr(doc.putObject("fpr_1e-3"), rep.falsePositives1e3(), rep.keys(), rep.interval1e3());

    var err = spec.commandLine().getErr();
    err.println(String.format(Locale.ROOT,
        "%d keys over %d texts (%s), %.1f tuples scored per key; KS D = %.4f, log10 p = %.2f",
        rep.keys(), texts.size(), ws.describe(), rep.meanTuplesScored(), rep.uniformity().statistic(),
        rep.uniformity().log10P()));
    err.println(String.format(Locale.ROOT,
        "false positives at 1e-2: %d (rate %.4f, 95%% CI [%.4f, %.4f]); at 1e-3: %d (rate %.5f, 95%% CI [%.5f, %.5f])",
        rep.falsePositives1e2(), (double) rep.falsePositives1e2() / rep.keys(), rep.interval1e2().lower(),
        rep.interval1e2().upper(), rep.falsePositives1e3(), (double) rep.falsePositives1e3() / rep.keys(),
        rep.interval1e3().lower(), rep.interval1e3().upper()));
    err.flush();
    Cli.writeJson(spec.commandLine().getOut(), doc);
    return WmCommand.EXIT_OK;
  }

  private static void putFpr(ObjectNode o, long count, int keys, BinomialInterval ci) {
    o.put("count", count);
    o.put("rate", (double) count / keys);
    o.putArray("ci").add(ci.lower()).add(ci.upper());
  }
}
