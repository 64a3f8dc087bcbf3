package dev.radiomark.verify.result;

import dev.radiomark.verify.Claim;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.AttributionResult;
import dev.radiomark.verify.text.ReadSummary;
import java.util.List;

/**
 * The end of a run: the verdict and every key's test, in the shape every writer reads
 * ({@link #keys()}), and the test's own result for writers that need all of it
 * ({@link #pooled()} for detect, {@link #attribution()} for verify; the other is null).
 *
 * @param claim the kind of statement the verdict makes
 * @param verdict the run's verdict
 * @param statement the verdict's sentence ({@link Claim#sentence})
 * @param keys each key's test, in the order of {@link RunInfo#keys()}
 * @param documents documents scored
 * @param tokens text tokens read
 * @param documentVerdicts how many documents got each verdict, indexed by {@link Verdict#ordinal()}
 * @param documentFamily tests corrected together per document
 * @param read what the reader skipped
 * @param pooled detect's pooled family, or null
 * @param attribution verify's corrected radioactivity tests, or null
 */
public record RunOutcome(Claim claim, Verdict verdict, String statement, List<KeyOutcome> keys, long documents,
    long tokens, long[] documentVerdicts, int documentFamily, ReadSummary read, MultiKeyResult pooled,
    AttributionResult attribution) {
  /** Copies the arrays. */
  public RunOutcome {
    keys = List.copyOf(keys);
    documentVerdicts = documentVerdicts.clone();
  }

  /** @return how many documents got verdict v */
  public long documentsWith(Verdict v) {
    return documentVerdicts[v.ordinal()];
  }
}
