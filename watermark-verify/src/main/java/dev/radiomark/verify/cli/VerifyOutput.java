package dev.radiomark.verify.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.AnytimeResult;
import dev.radiomark.verify.radioactivity.AttributionResult;
import dev.radiomark.verify.radioactivity.CurvePoint;
import dev.radiomark.verify.radioactivity.Mode;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.result.DocumentResult;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunOutcome;
import dev.radiomark.verify.stats.MultipleTesting;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard writers of {@code wm verify}, one {@link ResultSink}: the JSON report on stdout and
 * the one-screen summary on stderr, from the run's {@link RunOutcome#attribution()}. Field layout:
 * see {@link VerifyCommand} and docs/verification.md.
 */
final class VerifyOutput implements ResultSink {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintWriter out;
  private final PrintWriter err;
  private final Mode mode;
  private final boolean supervised;
  private final WatermarkSpec spec;
  private final Map<String, ServedWindowLedger> ledgerByKeyId;
  private final long budget;
  private final double alpha;
  private final boolean anytime;
  private final double anytimeStop;
  private final int records;
  private final long inputTokens;

  VerifyOutput(PrintWriter out, PrintWriter err, Mode mode, boolean supervised, WatermarkSpec spec,
      Map<String, ServedWindowLedger> ledgerByKeyId, long budget, double alpha, boolean anytime, double anytimeStop,
      int records, long inputTokens) {
    this.out = out;
    this.err = err;
    this.mode = mode;
    this.supervised = supervised;
    this.spec = spec;
    this.ledgerByKeyId = Map.copyOf(ledgerByKeyId);
    this.budget = budget;
    this.alpha = alpha;
    this.anytime = anytime;
    this.anytimeStop = anytimeStop;
    this.records = records;
    this.inputTokens = inputTokens;
  }

  /** Per-answer results are for --csv and --report only. */
  @Override
  public void document(DocumentResult d) {}

  @Override
  public void finish(RunOutcome o) throws JsonProcessingException {
    AttributionResult ar = o.attribution();
    out.println(JSON.writeValueAsString(report(mode, spec, records, inputTokens, ar)));
    out.flush();
    summary(err, mode, spec, ar);
    err.flush();
  }

  private ObjectNode report(Mode m, WatermarkSpec s, int records, long inputTokens, AttributionResult ar) {
    ObjectNode root = JSON.createObjectNode();
    root.put("mode", m.label());
    root.put("supervised", !!supervised);
    root.put("spec", s.describe());
    ArrayNode ids = root.putArray("key_ids");
    ar.entries().forEach(e -> ids.add(e.keyId()));
    root.put("input_records", records);
    root.put("input_tokens", inputTokens);
    root.put("budget", budget);
    root.put("alpha", alpha);
    root.put("correction", ar.correction());
    root.put("family", ar.family());
    root.put("verdict", ar.verdict().word());
    root.put("statement", m.claim().sentence(ar.verdict(), ar.claimKeys(), alpha));
    ArrayNode flagged = root.putArray("flagged_keys");
    ar.flaggedKeyIds().forEach(flagged::add);
    root.put("curve_note", RadioactivityResult.CURVE_NOTE);
    double[] anyCorrected = anytime ? anytimeHolm(ar) : null;
    if (anytime) {
      ObjectNode a = root.putObject("anytime");
      a.put("stop_level", anytimeStop);
      a.put("correction", ar.entries().size() > 1 ? "holm" : "none");
      a.put("verdict", anytimeVerdict(ar, anyCorrected).word());
      ArrayNode anyFlagged = a.putArray("flagged_keys");
      for (int i = 0; i < anyCorrected.length; i++) {
        if (keyVerdict(ar, anyCorrected, i) == Verdict.FLAGGED) {
          anyFlagged.add(ar.entries().get(i).keyId());
        }
      }
    }
    ArrayNode res = root.putArray("results");
    for (int i = 0; i < ar.entries().size(); i++) {
      AttributionResult.Entry e = ar.entries().get(i);
      RadioactivityResult r = e.result();
      ObjectNode o = res.addObject();
      o.put("key_id", r.keyId());
      if (ledgerByKeyId.containsKey(r.keyId())) {
        o.set("ledger", Cli.ledgerJson(ledgerByKeyId.get(r.keyId())));
      }
      o.put("tokens_read", r.tokensRead());
      o.put("tuples_scored", r.tuplesScored());
      o.put("budget_reached", r.budgetReached());
      if (!r.budgetReached() && (r.anytime() == null || !r.anytime().stopped())) {
        o.put("budget_note", "budget not reached: the verdict uses all " + r.tuplesScored() + " tuples of the input");
      }
      o.put("score", r.score());
      if (Double.isNaN(r.rate())) {
        o.putNull("rate");
      } else {
        o.put("rate", r.rate());
      }
      o.put("null_rate", r.nullRate());
      o.put("log10_p", r.log10P());
      o.put("log10_p_corrected", e.log10PCorrected());
      o.put("verdict", e.verdict().word());
      o.put("statement", m.claim().sentence(e.verdict(), List.of(e.keyId()), alpha));
      if (anytime) {
        AnytimeResult a = r.anytime();
        ObjectNode ao = o.putObject("anytime");
        ao.put("log10_p", a.log10P());
        ao.put("log10_p_corrected", anyCorrected[i]);
        ao.put("tuples", a.tuples());
        ao.put("sup_at", a.supTuples());
        ao.put("stopped", a.stopped());
        ao.put("verdict", keyVerdict(ar, anyCorrected, i).word());
        if (a.stopped()) {
          o.put("budget_note", "stopped where the anytime test crossed " + anytimeStop
              + ": log10_p is the fixed-budget p at a data-chosen point, not a valid fixed-budget p-value");
        }
      }
      o.put("curve_step", r.curveStep());
      ArrayNode c = o.putArray("curve");
      for (CurvePoint pt : r.curve()) {
        c.addArray().add(pt.tuples()).add(pt.log10P());
      }
    }
    return root;
  }

  private void summary(PrintWriter err, Mode m, WatermarkSpec s, AttributionResult ar) {
    String rateName = s.scheme() == dev.radiomark.Scheme.GREEN_LIST ? "green rate" : "score rate";
    String nullName = s.scheme() == dev.radiomark.Scheme.GREEN_LIST ? "gamma" : "null";
    err.printf(Locale.ROOT, "wm verify: %s mode%s, %s, budget %,d tuples, alpha %s%s%n", m.label(),
        !supervised ? "" : " (supervised)", s.describe(), budget, alpha,
        ar.entries().size() > 1 ? ", Holm over " + ar.entries().size() + " keys" : "");
    for (AttributionResult.Entry e : ar.entries()) {
      RadioactivityResult r = e.result();
      err.printf(Locale.ROOT, "  %-32s %,12d tokens %,10d tuples%s  %s %.4f vs %s %.4f  log10 p %9.2f  corrected %9.2f  %s%n",
          r.keyId(), r.tokensRead(), r.tuplesScored(), r.budgetReached() ? "" : " (budget not reached)",
          rateName, r.rate(), nullName, r.nullRate(), r.log10P(), e.log10PCorrected(),
          e.verdict().word());
    }
    err.println("verdict: " + ar.verdict().word() + ": " + m.claim().sentence(ar.verdict(), ar.claimKeys(), alpha));
    if (anytime) {
      double[] corrected = anytimeHolm(ar);
      for (int i = 0; i < corrected.length; i++) {
        AnytimeResult a = ar.entries().get(i).result().anytime();
        err.printf(Locale.ROOT, "  anytime %-24s log10 p %9.2f  corrected %9.2f  at tuple %,d of %,d%s  %s%n",
            ar.entries().get(i).keyId(), a.log10P(), corrected[i], a.supTuples(), a.tuples(),
            a.stopped() ? " (stopped)" : "", keyVerdict(ar, corrected, i).word());
      }
      err.println("anytime verdict: " + anytimeVerdict(ar, corrected).word() + " at alpha " + alpha
          + " (valid under monitoring and re-runs with more input)");
      if (ar.entries().stream().anyMatch(e -> e.result().anytime().stopped())) {
        err.println("note: a key marked (stopped) ended where its anytime p crossed " + anytimeStop
            + "; its fixed-budget p above is taken at that data-chosen point and is not valid");
      }
    }
    err.println("note: the p-value curve in the JSON report is for plotting only, not a stopping rule");
  }

  private static double[] anytimeHolm(AttributionResult ar) {
    return MultipleTesting.holm(ar.entries().stream().mapToDouble(e -> e.result().anytime().log10P()).toArray());
  }

  private Verdict keyVerdict(AttributionResult ar, double[] corrected, int i) {
    return ar.entries().get(i).result().anytime().verdict(corrected[i], alpha);
  }

  /** Flagged if any key is; not flagged if every key spent its budget; else inconclusive. */
  private Verdict anytimeVerdict(AttributionResult ar, double[] corrected) {
    Verdict v = Verdict.NOT_FLAGGED;
    for (int i = 0; i < corrected.length; i++) {
      Verdict k = keyVerdict(ar, corrected, i);
      if (k == Verdict.FLAGGED) {
        return k;
      }
      if (k == Verdict.INCONCLUSIVE) {
        v = k;
      }
    }
    return v;
  }
}
