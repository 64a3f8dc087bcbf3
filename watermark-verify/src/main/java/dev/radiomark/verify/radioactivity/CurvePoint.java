package dev.radiomark.verify.radioactivity;

/**
 * One point of the cumulative p-value curve: the pooled exact log10 p after the first
 * {@code tuples} scored tuples. For plotting only, never a stopping rule (see
 * {@link RadioactivityResult}).
 *
 * @param tuples tuples scored, at least 1
 * @param log10P log10 of the pooled p-value over those tuples, in (-inf, 0]
 */
public record CurvePoint(long tuples, double log10P) {}
