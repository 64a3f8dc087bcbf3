/**
 * Radioactivity: was a suspect model trained on our watermarked outputs?
 *
 * <h2>The two tests</h2>
 *
 * <p><b>Closed model</b> ({@link dev.radiomark.verify.radioactivity.ClosedModelTest}): only the
 * suspect's answers are available. They are re-tokenized with the watermark's tokenizer (a
 * vocabulary mismatch is refused), pooled as one stream on one global de-duplication tape, and
 * each distinct (window, token) tuple is scored once, skipping windows that occur in the
 * answer's own prompt. A student that learned our green lists emits green tokens more often than
 * gamma. The supervised variant keeps only windows recorded in a
 * {@link dev.radiomark.ledger.ServedWindowLedger} (windows we served), where the signal is.
 * When the suspect's API also returns the top-k log-probabilities of its own answers
 * ({@link dev.radiomark.verify.radioactivity.AnswerLogprobs}),
 * {@link dev.radiomark.verify.radioactivity.ClosedLogprobTest} scores those alternatives at each
 * position (exact, or probability-weighted with a Chernoff bound) under the same exclusions.
 *
 * <p><b>Reading mode</b> ({@link dev.radiomark.verify.radioactivity.ReadingModeTest}): the
 * suspect's weights are available ({@link dev.radiomark.verify.radioactivity.SuspectModel}). It
 * reads our watermarked probe texts chunk by chunk; at each position we score the tuple (window
 * of the input text, the suspect's top-1 prediction). No sampling noise, so far fewer tokens are
 * needed.
 *
 * <p>Both report the pooled exact p-value (Binomial(n, gamma) for the green list) at a token
 * budget fixed in advance, with the cumulative curve for plotting only
 * ({@link dev.radiomark.verify.radioactivity.RadioactivityResult}).
 * {@link dev.radiomark.verify.radioactivity.Attribution} runs a test under every cohort key and
 * Holm-corrects.
 *
 * <h2>Why the p-values are valid</h2>
 *
 * <p>H0: the suspect never trained on text watermarked with this key. Model the keyed function
 * as random: green lists of distinct windows are independent Bernoulli(gamma) draws per token.
 * A tuple's score is then Bernoulli(gamma) independently of everything the suspect's token
 * choice depended on, <em>provided</em> that choice did not depend on the same window's green
 * list, and distinct tuples are independent. Each rule below removes one way that proviso or the
 * distinctness fails; the tests of this package show an innocent model flagged without each:
 * <ul>
 *   <li><b>Global de-duplication.</b> A repeated tuple always has the same score; counting it again
 *       is not new evidence and inflates the variance (a repetitive innocent model is flagged
 *       under about a third of fresh keys at alpha 0.001 without it).</li>
 *   <li><b>Prompt windows excluded</b> (closed mode). An answer may copy its prompt, and the prompt
 *       may be our watermarked text: copied tokens are green because we generated them.</li>
 *   <li><b>Filters on windows only</b> (supervised closed mode). Whether a window is in the ledger
 *       does not depend on which token the suspect put after it, so selecting on it keeps H0
 *       intact. Selecting on the (window, token) pairs we served keeps exactly the tokens our
 *       sampler picked, which are green-enriched by construction: every model is flagged.</li>
 *   <li><b>First occurrence in a chunk</b> (reading mode). At a window's first occurrence in a
 *       chunk, no token the suspect sees was sampled under that window's green list (each token
 *       it sees was sampled under the list of its own, different window), so an innocent
 *       suspect's prediction is independent of the list. At a later occurrence, the token that
 *       followed the window earlier is in view, and any model that copies from its context (an
 *       induction head) predicts it: green-enriched without any training. Together with global
 *       de-duplication across chunks and texts, the scored tuples are distinct and each was
 *       chosen blind to its own list.</li>
 *   <li><b>A pre-registered budget.</b> The verdict is the p-value after exactly {@code budget}
 *       tuples. Stopping when the cumulative curve first dips below alpha is a search over many
 *       looks and inflates the error rate; so is trying several budgets, filters or keys
 *       without correction.</li>
 * </ul>
 *
 * <h2>Bloom filters cost power, not validity</h2>
 *
 * <p>Two places may use a Bloom filter. Each false positive is decided by the hash of a window or
 * tuple identity and the identities inserted before it, never by whether the tuple is green, so
 * the set of scored tuples is still chosen blind to their scores and the null law is unchanged.
 * <ul>
 *   <li>A false positive of the <b>ledger</b> admits a window we never served. Its tuples are
 *       scored like any other; a student cannot have learned that window's list, so they add
 *       Bernoulli(gamma) noise and dilute the lift: with a fraction f of admitted windows
 *       unserved, the lift (green rate - gamma) shrinks by about (1 - f) and the tuples needed
 *       grow by about 1 / (1 - f)^2 (n ~ z^2 gamma (1 - gamma) / lift^2). At the usual 1% rate and
 *       a ledger covering a small part of all windows, f can still be sizeable: size the ledger
 *       so its false-positive rate is small compared to the fraction of windows served.</li>
 *   <li>A false positive of a bounded de-duplication tape
 *       ({@link dev.radiomark.verify.SeenSet#bounded}) skips a tuple never scored: the fraction
 *       of skipped tuples, about the filter's rate, is lost, so about that fraction more input is
 *       needed to reach the budget.</li>
 * </ul>
 * A false <em>negative</em> (a repeat scored again) would break validity; Bloom filters have
 * none, which is why they are the right structure here.
 */
package dev.radiomark.verify.radioactivity;
