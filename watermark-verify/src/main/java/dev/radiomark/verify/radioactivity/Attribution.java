package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Evidence;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.stats.MultipleTesting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which cohorts' watermarks does the suspect carry? Runs one radioactivity test per cohort key
 * (for example tenant sub-keys from {@code WatermarkKey.forTenant}) on the same input and
 * corrects the K p-values with Holm's step-down method, so the chance that any innocent cohort
 * is named stays at most alpha. Each key's test keeps its own pre-registered budget; each key's
 * verdict follows {@link Evidence} in a family of K.
 *
 * <pre>{@code
 * AttributionResult r = Attribution.run(tenantWatermarkers,
 *     k -> ClosedModelTest.builder(k).budget(100_000).build(), answers, 1e-6);
 * r.flaggedKeyIds();  // e.g. [root/tenant=acme]
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
   * @return raw and corrected p and the verdict per key
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
    List<NullModel> nulls = new ArrayList<>();
    for (Watermarker k : cohortKeys) {
      results.add(mode.apply(k).run(input));
      nulls.add(NullModel.of(k.spec()));
    }
    return correct(results, nulls, alpha);
  }

  /**
   * Holm-corrects results already computed on one input under several keys.
   *
   * @param results one result per key
   * @param nullModels the null model of each key ({@code NullModel.of(spec)}), in the same order
   * @param alpha family-wise significance level in (0, 1)
   * @return raw and corrected p and the verdict per key
   * @throws IllegalArgumentException if alpha is not in (0, 1), results is empty, or the lists
   *     differ in size
   */
  public static AttributionResult correct(List<RadioactivityResult> results, List<NullModel> nullModels,
      double alpha) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("results is empty");
    }
    if (nullModels.size() != results.size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "nullModels.size() is not results.size() (%d): %d", results.size(), nullModels.size()));
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
    double[] raw = new double[results.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = results.get(i).log10P();
    }
    double[] adj = MultipleTesting.holm(raw);
    List<AttributionResult.Entry> out = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      Evidence ev = Evidence.of(nullModels.get(i), alpha, raw.length);
      out.add(new AttributionResult.Entry(results.get(i), adj[i], ev.verdict(results.get(i).tuplesScored(), adj[i])));
    }
    return new AttributionResult(alpha, out);
  }
}
