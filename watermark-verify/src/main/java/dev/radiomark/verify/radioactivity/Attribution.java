package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.stats.MultipleTesting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which cohort's outputs did the suspect learn from? Runs one radioactivity test per cohort key
 * (for example tenant sub-keys from {@code WatermarkKey.forTenant}) on the same input and
 * corrects the K p-values with Holm's step-down method, so the chance that any innocent cohort
 * is named stays at most alpha. Each key's test keeps its own pre-registered budget.
 *
 * <pre>{@code
 * AttributionResult r = Attribution.run(tenantWatermarkers,
 *     k -> ClosedModelTest.builder(k).budget(100_000).build(), answers, 1e-5);
 * r.learnedFrom();  // e.g. [root/tenant=acme]
 * }</pre>
 */
public final class Attribution {
  private Attribution() {}

  /**
   * Runs the test under every key and corrects.
   *
   * @param <I> the input type
   * @param cohortKeys one watermarker per cohort, at least one
   * @param mode builds the test of a key: a {@link ClosedModelTest} (with that key's ledger in
   *     the supervised variant) or a {@link ReadingModeTest}
   * @param input the suspect's answers or the probe texts; iterated once per key
   * @param alpha family-wise significance level in (0, 1)
   * @return raw and corrected p per key and the cohorts learned from
   * @throws IllegalArgumentException if no key is given or alpha is not in (0, 1)
   */
  public static <I> AttributionResult run(List<Watermarker> cohortKeys,
      Function<Watermarker, ? extends RadioactivityTest<I>> mode, I input, double alpha) {
    if (cohortKeys == null || cohortKeys.isEmpty()) {
      throw new IllegalArgumentException("cohortKeys is empty");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
    List<RadioactivityResult> results = new ArrayList<>();
    for (Watermarker k : cohortKeys) {
      results.add(mode.apply(k).run(input));
    }
    return correct(results, alpha);
  }

  /**
   * Holm-corrects results already computed on one input under several keys.
   *
   * @param results one result per key
   * @param alpha family-wise significance level in (0, 1)
   * @return raw and corrected p per key
   * @throws IllegalArgumentException if alpha is not in (0, 1) or results is empty
   */
  public static AttributionResult correct(List<RadioactivityResult> results, double alpha) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("results is empty");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
    double[] raw = new double[results.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = results.get(i).log10P();
    }
    double[] adj = MultipleTesting.holm(raw);
    double la = Math.log10(alpha);
    List<AttributionResult.Entry> out = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      out.add(new AttributionResult.Entry(results.get(i), adj[i], adj[i] <= la));
    }
    return new AttributionResult(alpha, out);
  }
}
