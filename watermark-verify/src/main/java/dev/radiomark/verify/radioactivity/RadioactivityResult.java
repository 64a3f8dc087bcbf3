package dev.radiomark.verify.radioactivity;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of one radioactivity test under one key, at its pre-registered budget.
 *
 * <p>The verdict is the pooled exact p-value of the first {@code budget} distinct tuples scored
 * (or of all of them, when the input ran out first: {@code budgetReached == false}). The
 * {@link #curve()} shows the cumulative log10 p along the way <b>for plotting only: it is not a
 * stopping rule</b>. Stopping at the first dip below alpha, or choosing the budget after seeing
 * the curve, is a search over many looks and inflates the false-positive rate far above alpha (a
 * null run can dip to 0.01 and end at 0.97); {@link #CURVE_NOTE} is carried in every result and
 * report to say so. For a verdict that survives monitoring, stopping early or extending the
 * budget after a null result, ask for the anytime-valid test ({@code anytime(alpha)} on the
 * builders): {@link #anytime()}.
 *
 * @param mode closed-model or reading mode
 * @param supervised whether a served-window ledger filtered the windows (closed mode only)
 * @param keyId id of the key the tuples were scored under (never the secret)
 * @param tokensRead answer tokens read (closed), or probe positions the suspect predicted (reading), until the
 *     budget was reached or the input ended
 * @param tuplesScored distinct tuples scored, at most {@code budget}
 * @param score summed score S of those tuples (the number of green tuples for the green list)
 * @param rate observed mean score per tuple as a rate: the green rate for the green list; NaN
 *     when nothing was scored
 * @param nullRate the rate expected under H0: gamma for the green list
 * @param log10P log10 of the pooled p-value P[S' &gt;= S] at the budget, in (-inf, 0]
 * @param budget the pre-registered number of tuples, at least 1
 * @param budgetReached whether {@code budget} tuples were scored; if false the verdict uses all
 *     the tuples the input had ("budget not reached"), or the run stopped where the anytime test
 *     crossed its level (then {@code log10P} is taken at a data-chosen point and is not a valid
 *     fixed-budget p-value: use {@code anytime().log10P()})
 * @param curve cumulative log10 p every {@code curveStep} tuples and at the end
 * @param curveStep tuples between curve points
 * @param curveNote {@link #CURVE_NOTE}
 * @param anytime the anytime-valid test over the same tuples, or null when it was not requested
 */
public record RadioactivityResult(
    Mode mode,
    boolean supervised,
    String keyId,
    long tokensRead,
    long tuplesScored,
    double score,
    double rate,
    double nullRate,
    double log10P,
    long budget,
    boolean budgetReached,
    List<CurvePoint> curve,
    long curveStep,
    String curveNote,
    AnytimeResult anytime) {

  /** The note carried with every curve. */
  public static final String CURVE_NOTE = "cumulative p-value curve for plotting only; not a stopping rule: "
      + "the verdict is the p-value at the pre-registered budget";

  /** Copies the curve. */
  public RadioactivityResult {
    curve = List.copyOf(curve);
  }

  /**
   * The p-value as a double, for display only: it underflows to 0 below about 1e-308.
   *
   * @return 10^log10P
   */
  public double pValue() {
    return Math.pow(10, log10P);
  }

  /**
   * Whether H0 (the scored tokens are independent of this key) is rejected. The reported verdict
   * also weighs the evidence: use {@link dev.radiomark.verify.Evidence}.
   *
   * @param alpha significance level in (0, 1)
   * @return true when p &lt;= alpha, compared in log10
   * @throws IllegalArgumentException if alpha is not in (0, 1)
   */
  public boolean reject(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
    return log10P <= Math.log10(alpha);
  }

  /** One line for logs. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "RadioactivityResult[%s%s key=%s tokens=%d tuples=%d/%d%s rate=%.4f null=%.4f log10p=%.2f%s]",
        mode.label(), supervised ? " supervised" : "", keyId, tokensRead, tuplesScored, budget,
        budgetReached ? "" : " (budget not reached)", rate, nullRate, log10P,
        anytime == null ? "" : String.format(Locale.ROOT, " anytime log10p=%.2f%s", anytime.log10P(),
            anytime.stopped() ? " (stopped)" : ""));
  }
}
