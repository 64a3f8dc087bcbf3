package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Calibration;
import dev.radiomark.verify.CalibrationReport;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.KeyCalibrationReport;
import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.text.ReadSummary;
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
 * {@code wm calibrate}: measures the false-positive rate of the detector on text written
 * without the key. Two modes answer two questions:
 *
 * <ul>
 *   <li>{@code --keys N} (fresh keys, validity over keys): scores the texts under N fresh keys,
 *       key i on text {@code i mod T}, and checks that the p-values are uniform and that the
 *       false-positive rates at 1e-2 and 1e-3 are as designed. The spec comes from {@code --key}
 *       (its secret is not used) or from the spec options. Output: {@code {"mode": "fresh-keys",
 *       "keys", "texts", "seed", "spec", "skipped_lines", "mean_tuples_scored", "ks": {"statistic",
 *       "log10_p"}, "fpr_1e-2": {"count", "rate", "ci": [lo, hi]}, "fpr_1e-3": {...}, "criterion", "result": "pass"|"fail"}} with 95%
 *       Clopper-Pearson intervals. With {@code --seed} the keys come from a seeded xoroshiro128++
 *       generator, so a run can be repeated exactly; such keys are predictable, serve calibration
 *       only and are never written.
 *   <li>{@code --key FILE} without {@code --keys} (this key, validity for a deployed key): scores
 *       every text alone under that key and counts the texts with p &lt;= alpha for alpha in
 *       {@link Calibration#KEY_ALPHAS}; see {@link KeyCalibrationReport} for the criterion.
 *       Output: {@code {"mode": "key", "key_id", "spec", "documents", "unscored_documents",
 *       "skipped_lines", "mean_tuples_scored", "levels": [{"alpha", "flagged", "scored", "rate",
 *       "ci": [lo, hi], "log10_p_above", "above_nominal"}], "criterion", "result": "pass"|"fail"}}.
 * </ul>
 *
 * <p>Prompts of JSONL records are ignored in both modes: the texts are scored as written.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Measures the detector's false-positive rate on text written without the key, and says "
        + "PASS or FAIL against a stated criterion.", "",
        "--keys N: validity over keys. Each text is scored under its own fresh key; checks "
            + "P_key(p <= a) <= a. The spec comes from --key FILE (its secret is not used) or the spec options. "
            + "FAIL when the Kolmogorov-Smirnov test of the p-values, or an exact one-sided binomial test that the "
            + "false-positive rate at 1e-2 or 1e-3 is above nominal, rejects at 0.01/3 (1%% family-wise); else PASS.",
        "--key FILE alone: validity of THIS key. Every text is scored under that key and the texts with "
            + "p <= 1e-2, 1e-3, 1e-4 are counted (95%% Clopper-Pearson intervals); FAIL when the rate is provably "
            + "above alpha (exact one-sided binomial test at 0.01/3 per alpha, 1%% family-wise). Texts with no "
            + "scored tuple are counted apart. Frequent tuples recur across texts, so one key can exceed "
            + "nominal where the average over keys does not.",
        "Keys made with --seed are predictable: use them for calibration only.", ""})
final class CalibrateCommand implements Callable<Integer> {
  /** Largest accepted --keys. */
  static final int MAX_KEYS = 10_000_000;

  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE|DIR",
      description = "text written without the key: " + "files or folders, or - for stdin; repeatable, and several may follow one --input. A folder is read recursively, in sorted path order, for *.jsonl files (*.txt with a text format), skipping hidden names")
  List<String> inputs;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl (one {\"text\" or \"tokens\", \"prompt\", \"id\"} object per line), text (the whole input is one text), "
          + "lines (one text per non-blank line) or paragraphs (texts separated by blank lines); default ${DEFAULT-VALUE}")
  Cli.Format format;

  @Option(names = "--skip-bad", description = "skip and count malformed JSONL lines instead of failing")
  boolean skipBad;

  @Option(names = "--nfc", description = "apply Unicode NFC normalization before tokenizing")
  boolean nfc;

  @Option(names = "--keys", paramLabel = "N",
      description = "fresh-key mode: number of fresh keys, in [1, 10000000]")
  Integer keys;

  @Option(names = "--key", paramLabel = "FILE",
      description = "with --keys: take the spec (not the secret) from this key file; alone: measure this key")
  Path keyFile;

  @Option(names = "--seed", paramLabel = "S", description = "fresh-key mode: seed for reproducible keys")
  Long seed;

  @Option(names = "--dedup", paramLabel = "MODE", defaultValue = "tuple", description = "tuple (default) or window")
  Cli.DedupOption dedup;

  @Mixin
  SpecOptions specOptions;

  @Override
  public Integer call() {
    if (keys == null) {
      if (keyFile == null) {
        throw WmException.usage("give --keys N (fresh keys) or --key FILE (this key)");
      }
      if (specOptions.anyParameterSet() || seed != null) {
        throw WmException.usage("--key FILE without --keys measures that key: --seed and the spec options do not apply");
      }
      return ofKey();
    }
    if (keys < 1 || keys > MAX_KEYS) {
      throw WmException.usage(String.format(Locale.ROOT, "--keys is not in [1, %d]: %d", MAX_KEYS, keys));
    }
    WatermarkSpec ws;
    if (keyFile != null) {
      if (specOptions.anyParameterSet()) {
        throw WmException.usage("--key and the spec options (--scheme, --gamma, ...) exclude each other");
      }
      ws = Cli.loadKey(keyFile).spec();
    } else {
      ws = specOptions.build();
    }
    List<int[]> texts = new ArrayList<>();
    ReadSummary read = tokenize(texts, Cli.tokenizerFor(ws, keyFile, specOptions.tokenizerOrNull(), nfc));
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
    doc.put("mode", "fresh-keys");
    doc.put("keys", rep.keys());
    doc.put("texts", texts.size());
    if (seed == null) {
      doc.putNull("seed");
    } else {
      doc.put("seed", seed);
    }
    doc.set("spec", Cli.specJson(ws));
    doc.put("skipped_lines", read.skippedLines());
    Cli.num(doc, "mean_tuples_scored", rep.meanTuplesScored());
    ObjectNode ks = doc.putObject("ks");
    Cli.num(ks, "statistic", rep.uniformity().statistic());
    Cli.num(ks, "log10_p", rep.uniformity().log10P());
    putFpr(doc.putObject("fpr_1e-2"), rep.falsePositives1e2(), rep.keys(), rep.interval1e2());
    putFpr(doc.putObject("fpr_1e-3"), rep.falsePositives1e3(), rep.keys(), rep.interval1e3());
    String freshCriterion = String.format(Locale.ROOT, "fail when the KS test of the randomized p-values against"
        + " U(0, 1), or an exact one-sided binomial test that the false-positive rate at 1e-2 or at 1e-3 is above"
        + " nominal, rejects at %s / 3 (%s family-wise)", CalibrationReport.FAIL_LEVEL, CalibrationReport.FAIL_LEVEL);
    doc.put("criterion", freshCriterion);
    doc.put("result", rep.pass() ? "pass" : "fail");

    var err = spec.commandLine().getErr();
    err.println(String.format(Locale.ROOT,
        "%s over %s (%s), %.1f tuples scored per key; KS D = %.4f, log10 p = %.2f",
        Plural.of(rep.keys(), "key"), Plural.of(texts.size(), "text"), ws.describe(), rep.meanTuplesScored(), rep.uniformity().statistic(),
        rep.uniformity().log10P()));
    err.println(String.format(Locale.ROOT,
        "false positives at 1e-2: %d (rate %.4f, 95%% CI [%.4f, %.4f]); at 1e-3: %d (rate %.5f, 95%% CI [%.5f, %.5f])",
        rep.falsePositives1e2(), (double) rep.falsePositives1e2() / rep.keys(), rep.interval1e2().lower(),
        rep.interval1e2().upper(), rep.falsePositives1e3(), (double) rep.falsePositives1e3() / rep.keys(),
        rep.interval1e3().lower(), rep.interval1e3().upper()));
    err.println((rep.pass() ? "PASS: the p-values are consistent with valid ones"
        : "FAIL: the p-values are provably not valid") + " (criterion: " + freshCriterion + ")");
    err.flush();
    Cli.writeJson(spec.commandLine().getOut(), doc);
    return WmCommand.EXIT_OK;
  }

  /** The per-key mode: every text under the key of {@code --key}. */
  private int ofKey() {
    KeyFile kf = Cli.loadKey(keyFile);
    List<int[]> texts = new ArrayList<>();
    ReadSummary read = tokenize(texts, Cli.tokenizerFor(kf.spec(), keyFile, specOptions.tokenizerOrNull(), nfc));
    Detector detector = Detector.of(kf.watermarker(), DetectorConfig.defaults().withDedup(dedup.dedup()));
    KeyCalibrationReport rep = Calibration.ofKey(detector, texts);

    String criterion = String.format(Locale.ROOT, "fail when the per-document rate is above alpha by an exact"
        + " one-sided binomial test at %s / %d per alpha (%s family-wise)", Calibration.KEY_FAIL_LEVEL,
        Calibration.KEY_ALPHAS.size(), Calibration.KEY_FAIL_LEVEL);
    ObjectNode doc = Cli.JSON.createObjectNode();
    doc.put("mode", "key");
    doc.put("key_id", rep.keyId());
    doc.set("spec", Cli.specJson(kf.spec()));
    doc.put("documents", rep.documents());
    doc.put("unscored_documents", rep.unscored());
    doc.put("skipped_lines", read.skippedLines());
    Cli.num(doc, "mean_tuples_scored", rep.meanTuplesScored());
    ArrayNode levels = doc.putArray("levels");
    var err = spec.commandLine().getErr();
    err.println(String.format(Locale.ROOT,
        "key %s (%s): %s, %d with no scored tuple (not counted), %.1f tuples per scored document",
        rep.keyId(), kf.spec().describe(), Plural.of(rep.documents(), "document"), rep.unscored(), rep.meanTuplesScored()));
    for (KeyCalibrationReport.Level l : rep.levels()) {
      ObjectNode o = levels.addObject();
      o.put("alpha", l.alpha());
      o.put("flagged", l.flagged());
      o.put("scored", l.scored());
      o.put("rate", l.rate());
      o.putArray("ci").add(l.interval95().lower()).add(l.interval95().upper());
      Cli.num(o, "log10_p_above", l.excess().log10P());
      o.put("above_nominal", l.aboveNominal());
      err.println(String.format(Locale.ROOT,
          "alpha %s: %d of %d flagged, rate %.5f (95%% CI [%.5f, %.5f]), %s nominal (log10 p %.2f)",
          label(l.alpha()), l.flagged(), l.scored(), l.rate(), l.interval95().lower(), l.interval95().upper(),
          l.aboveNominal() ? "ABOVE" : "not above", l.excess().log10P()));
    }
    doc.put("criterion", criterion);
    doc.put("result", rep.pass() ? "pass" : "fail");
    err.println((rep.pass() ? "PASS: no rate is provably above its alpha" : "FAIL: a rate is provably above its alpha")
        + " (criterion: " + criterion + ")");
    err.flush();
    Cli.writeJson(spec.commandLine().getOut(), doc);
    return WmCommand.EXIT_OK;
  }

  /** 1e-2 for 0.01. */
  private static String label(double alpha) {
    return "1e" + Math.round(Math.log10(alpha));
  }

  /** Reads every input, keeping each text's token ids only. */
  private ReadSummary tokenize(List<int[]> texts, TextTokenizer tok) {
    return Cli.forEachRecord(inputs, format, skipBad, (source, r) -> texts.add(r.textIds(tok, source)));
  }

  private static void putFpr(ObjectNode o, long count, int keys, BinomialInterval ci) {
    o.put("count", count);
    o.put("rate", (double) count / keys);
    o.putArray("ci").add(ci.lower()).add(ci.upper());
  }
}
