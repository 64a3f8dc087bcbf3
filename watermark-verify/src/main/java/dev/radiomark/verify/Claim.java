package dev.radiomark.verify;

import java.util.List;
import java.util.Locale;

/**
 * What a verdict states, word for word, for each kind of test. JSON reports, stderr summaries and
 * the demo all take their sentences from here, so they cannot drift apart.
 *
 * <p>The sentences say exactly what was shown. A closed-mode test cannot tell a model trained on
 * our text from one that copies or proxies it, so a flagged closed-mode verdict says "consistent
 * with training on, or copying of, text we served", never "learned". A not_flagged verdict is
 * "no evidence at alpha", never a finding of innocence.
 */
public enum Claim {
  /** {@code wm detect}: does a text carry the watermark of a key? */
  DETECT,
  /** {@code wm detect}, all records pooled into one test. */
  DETECT_POOLED,
  /** Closed-model radioactivity: only the suspect's outputs were scored. */
  CLOSED,
  /** Reading-mode radioactivity: the suspect's predictions on our watermarked text were scored. */
  READING;

  /**
   * The sentence for a verdict.
   *
   * @param verdict the verdict
   * @param keyIds the keys the sentence is about (for flagged: the flagged keys), at least one
   * @param alpha the family-wise level the verdict was taken at
   * @return one sentence, without a final period
   * @throws IllegalArgumentException if keyIds is empty
   */
  public String sentence(Verdict verdict, List<String> keyIds, double alpha) {
    if (keyIds.isEmpty()) {
      throw new IllegalArgumentException("keyIds is empty");
    }
    String keys = (keyIds.size() == 1 ? "key " : "keys ") + String.join(", ", keyIds);
    String a = Double.toString(alpha);
    String subject;
    String flagged;
    String notShown;
    switch (this) {
      case DETECT:
        subject = "the text carries the watermark of " + keys;
        flagged = "";
        notShown = "it does not show that the text was written without the key";
        break;
      case DETECT_POOLED:
        subject = "the pooled texts carry the watermark of " + keys;
        flagged = "";
        notShown = "it does not show that the texts were written without the key";
        break;
      case CLOSED:
        subject = "the suspect's outputs carry our watermark (" + keys + ")";
        flagged = ": consistent with training on, or copying of, text we served";
        notShown = "it does not show that the suspect never trained on or copied text we served";
        break;
      default:
        subject = "the suspect's predictions on our watermarked text carry our watermark (" + keys + ")";
        flagged = ": consistent with training on text we served";
        notShown = "it does not show that the suspect never trained on text we served";
        break;
    }
    switch (verdict) {
      case FLAGGED:
        return String.format(Locale.ROOT, "%s beyond chance (corrected p <= alpha = %s)%s", subject, a, flagged);
      case NOT_FLAGGED:
        return String.format(Locale.ROOT, "no evidence at alpha = %s that %s; %s", a, subject, notShown);
      default:
        return String.format(Locale.ROOT,
            "too few tuples scored to decide at alpha = %s whether %s; nothing is claimed either way", a, subject);
    }
  }
}
