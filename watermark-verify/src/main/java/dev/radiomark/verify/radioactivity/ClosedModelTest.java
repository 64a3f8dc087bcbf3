package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.SeenSet;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * The closed-model radioactivity test: only the suspect's answers are available.
 *
 * <p>All answers are pooled as one stream on one de-duplication {@link Detector.Tape}: a
 * position is scored unless its (window, token) tuple was already scored anywhere in the
 * stream, its window occurs in that answer's own prompt (the answer may have copied it), or, in
 * the supervised variant, its window is not in the {@link ServedWindowLedger}. The first
 * {@code budget} tuples scored give one pooled exact p-value (Binomial(n, gamma) for the green
 * list).
 *
 * <p><b>Why the supervised filter holds windows only.</b> Keeping only windows we served raises
 * power (the suspect can only have learned the green lists of windows it saw) and is valid: for
 * a suspect that never trained on our text, its token after a window is chosen without knowing
 * that window's green list, whether or not the window is in the filter. Filtering on the
 * (window, token) pairs we served instead keeps a position only when the suspect emitted the
 * very token our watermarked sampler chose after that window; those tokens were chosen <em>because
 * </em> they were green, so the kept tuples are green-enriched for any model, innocent ones
 * included, and the test flags everyone. The ledger API therefore has no pair-level method.
 *
 * <p><b>Why the window filter is independent of the key's green lists</b> (ordered and min-hash
 * rules, where a tuple's seed is its window's seed s): the ledger admits s once the teacher
 * reaches a served position whose window has seed s. Until the first such position every
 * sampling step used other seeds, whose keyed values are independent of s's, so whether s is
 * admitted does not depend on any score of a tuple with seed s. Under the self-seeding rule the
 * tuple seed of a token can be the token's own hash, used at every step where the token was a
 * candidate; the argument fails and {@link Builder#ledger} refuses the combination.
 *
 * <p>Immutable and thread-safe; each {@link #run} uses its own tape.
 *
 * <pre>{@code
 * ClosedModelTest test = ClosedModelTest.builder(watermarker)
 *     .ledger(ledger)          // optional: supervised variant
 *     .budget(100_000)         // fixed before looking at the data
 *     .anytime(1e-5)           // optional: also the anytime-valid test, stopping at 1e-5
 *     .build();
 * RadioactivityResult r = test.run(answers);
 * Verdict v = Evidence.verdict(NullModel.of(watermarker.spec()), r.tuplesScored(), r.log10P(), 1e-6);
 * }</pre>
 */
public final class ClosedModelTest implements RadioactivityTest<Iterable<Answer>> {
  private final Watermarker watermarker;
  private final ServedWindowLedger ledger;
  private final long budget;
  private final int curvePoints;
  private final double anytimeStop;
  private final DetectorConfig config;
  private final Supplier<SeenSet> seenSets;
  private final Progress progress;

  /**
   * Why the supervised variant is refused under the self-seeding rule: there a token's own hash
   * can be its tuple seed, so whether the teacher emitted a token anywhere (and hence which
   * windows reached the ledger) depends on that token's keyed value; a filter built from the
   * key's own outputs is then not independent of the scores it admits.
   */
  public static final String SELF_SEEDING_LEDGER = "a served-window ledger cannot filter a self-seeding key: "
      + "under that rule a token's own keyed value decides where the teacher emitted it, so the ledger's windows "
      + "depend on the scores they would admit; run the unsupervised closed test (no --ledger), or use an ordered "
      + "or min-hash key";

  private ClosedModelTest(Builder b) {
    this.watermarker = b.watermarker;
    this.ledger = b.ledger;
    this.budget = b.budget;
    this.curvePoints = b.curvePoints;
    this.anytimeStop = b.anytimeStop;
    this.config = b.config;
    this.seenSets = b.seenSets;
    this.progress = b.progress;
  }

  /**
   * A builder for a test under one key.
   *
   * @param watermarker the scheme and key the suspect may have learned
   * @return a builder with budget 100,000 tuples, 200 curve points, the default (valid)
   *     detector options, an exact de-duplication tape and no ledger
   * @throws IllegalArgumentException if watermarker is null
   */
  public static Builder builder(Watermarker watermarker) {
    if (watermarker == null) {
      throw new IllegalArgumentException("watermarker is null");
    }
    return new Builder(watermarker);
  }

  /** @return the scheme and key */
  public Watermarker watermarker() {
    return watermarker;
  }

  /** @return the pre-registered budget in tuples */
  public long budget() {
    return budget;
  }

  /** @return whether a ledger filters windows */
  public boolean supervised() {
    return ledger != null;
  }

  /**
   * Runs the test over the suspect's answers, in order, until {@code budget} tuples are scored
   * or the answers run out.
   *
   * @param answers the suspect's answers, token ids of the watermark's tokenizer
   * @return the result at the budget
   * @throws IllegalArgumentException if a token id is outside the spec's vocabulary
   */
  @Override
  public RadioactivityResult run(Iterable<Answer> answers) {
    Detector detector = Detector.of(watermarker, config);
    Detector.Tape tape = detector.newTape(seenSets.get());
    Accumulator acc = new Accumulator(detector.nullModel(), budget, curvePoints, anytimeStop);
    LongPredicate filter = ledger == null ? null : ledger::mightContain;
    int vocab = watermarker.spec().vocabSize();
    long read = 0;
    double[] scores = new double[256];
    for (Answer a : answers) {
      Answer.checkIds("prompt", a.prompt(), vocab);
      Answer.checkIds("text", a.text(), vocab);
      int len = a.text().length;
      if (scores.length < len) {
        scores = new double[Math.max(len, scores.length * 2)];
      }
      tape.add(a.prompt(), a.text(), filter, scores);
      for (int i = 0; i < len; i++) {
        if (!Double.isNaN(scores[i]) && acc.add(scores[i])) {
          read += i + 1;
          progress.update(read, acc.tuples());
          return acc.result(Mode.CLOSED, ledger != null, watermarker.keyId(), read);
        }
      }
      read += len;
      progress.update(read, acc.tuples());
    }
    return acc.result(Mode.CLOSED, ledger != null, watermarker.keyId(), read);
  }

  /**
   * Re-tokenizes text records with the watermark's tokenizer and runs the test.
   *
   * @param records the suspect's answers as text, with their prompts
   * @param tokenizer the tokenizer named in the watermark's spec
   * @return the result at the budget
   * @throws IllegalArgumentException on a tokenizer or vocabulary mismatch
   */
  public RadioactivityResult runRecords(Iterable<TextRecord> records, TextTokenizer tokenizer) {
    TextTokenizer.requireVocabulary(watermarker.spec().tokenizer(), watermarker.spec().vocabSize(), tokenizer);
    List<Answer> answers = new ArrayList<>();
    for (TextRecord r : records) {
      answers.add(Answer.of(r, tokenizer, watermarker.spec()));
    }
    return run(answers);
  }

  /** Mutable builder; {@link #build} checks and freezes. */
  public static final class Builder extends AbstractBuilder<Builder> {
    private ServedWindowLedger ledger;

    private Builder(Watermarker watermarker) {
      super(watermarker);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * The supervised variant: only windows in the ledger are scored.
     *
     * @param ledger served windows of this key, or null for the unsupervised test
     * @return this
     * @throws IllegalArgumentException if the ledger belongs to another key (fingerprint) or spec, or
     *     the spec uses the self-seeding window rule (see {@link #SELF_SEEDING_LEDGER})
     */
    public Builder ledger(ServedWindowLedger ledger) {
      if (ledger != null) {
        if (watermarker.spec().windowRule() == WindowRule.SELF_SEEDING) {
          throw new IllegalArgumentException(SELF_SEEDING_LEDGER);
        }
        if (!ledger.keyFingerprint().equals(watermarker.keyFingerprint())) {
          throw new IllegalArgumentException("ledger key is not the test's key: ledger " + ledger.keyId()
              + " (fingerprint " + ledger.keyFingerprint() + "), test " + watermarker.keyId()
              + " (fingerprint " + watermarker.keyFingerprint() + ")");
        }
        if (!ledger.specDescription().equals(watermarker.spec().describe())) {
          throw new IllegalArgumentException("ledger spec is not the test's spec: ledger "
              + ledger.specDescription() + ", test " + watermarker.spec().describe());
        }
      }
      this.ledger = ledger;
      return this;
    }

    /** @return the test */
    public ClosedModelTest build() {
      return new ClosedModelTest(this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ClosedModelTest[key=%s, supervised=%s, budget=%d, %s]",
        watermarker.keyId(), ledger != null, budget, config);
  }
}
