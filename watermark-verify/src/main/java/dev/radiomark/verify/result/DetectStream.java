package dev.radiomark.verify.result;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Claim;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.MultiKey;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.SeenSet;
import dev.radiomark.verify.SegmentSearch;
import dev.radiomark.verify.TokenVariants;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.AttributionResult;
import dev.radiomark.verify.radioactivity.CurvePoint;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.text.ReadSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scoring loop of detection: scores one document at a time under every key (whole text and,
 * optionally, best segment), corrects the document's family, feeds the pooled de-duplication
 * tapes, and hands each {@link DocumentResult} to the sinks. Memory is the tapes' (one entry per
 * distinct tuple per key) and a curve of at most {@value #CURVE_POINTS} points per key, not the
 * documents'. Not thread-safe.
 */
public final class DetectStream {
  /** Most points kept per key on the pooled curve; the stride doubles when it fills. */
  static final int CURVE_POINTS = 256;

  private final List<Watermarker> keys;
  private final SegmentSearch search;
  private final Detector[] detectors;
  private final Detector.Tape[] tapes;
  private final MultiKey perDocument;
  private final MultiKey pooled;
  private final long[] verdicts = new long[Verdict.values().length];
  private final int documentFamily;
  private final List<ResultSink> sinks;
  private final List<List<CurvePoint>> curves = new ArrayList<>();
  private long curveStride = 1;
  private long documents;
  private long tokens;

  private DetectStream(List<Watermarker> keys, DetectorConfig config, SegmentSearch search, double alpha,
      List<ResultSink> sinks, long expectedTuples) {
    this.keys = List.copyOf(keys);
    this.search = search;
    this.sinks = List.copyOf(sinks);
    int k = keys.size();
    detectors = new Detector[k];
    tapes = new Detector.Tape[k];
    List<NullModel> nulls = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      detectors[i] = Detector.of(keys.get(i), config);
      tapes[i] = expectedTuples > 0 ? detectors[i].newTape(SeenSet.exact(expectedTuples)) : detectors[i].newTape();
      nulls.add(detectors[i].nullModel());
      curves.add(new ArrayList<>());
    }
    perDocument = MultiKey.of(nulls, alpha, search != null);
    documentFamily = k * (search != null ? 2 : 1);
    pooled = search == null ? perDocument : MultiKey.of(nulls, alpha, false);
  }

  /**
   * A detection run.
   *
   * @param keys the keys, all of one tokenizer, at least one
   * @param config detector options
   * @param search the segment search, or null for whole texts only
   * @param alpha family-wise level in (0, 1)
   * @param sinks the writers, called in this order
   * @return the run, before its first document
   * @throws IllegalArgumentException if keys is empty
   */
  public static DetectStream of(List<Watermarker> keys, DetectorConfig config, SegmentSearch search, double alpha,
      List<ResultSink> sinks) {
    return of(keys, config, search, alpha, sinks, 0);
  }

  /**
   * A detection run whose pooled tapes are sized ahead ({@link SeenSet#exact(long)}): same
   * results, no doubling of the exact sets while they fill. The tapes still grow past the hint;
   * each allocates 16 to 32 bytes per expected identity at once, so the hint should not exceed
   * the distinct tuples the run will score (the number of text tokens, over every variant of
   * a text that is scored, is an upper bound).
   *
   * @param keys the keys, all of one tokenizer, at least one
   * @param config detector options
   * @param search the segment search, or null for whole texts only
   * @param alpha family-wise level in (0, 1)
   * @param sinks the writers, called in this order
   * @param expectedTuples expected distinct tuples per key, in [0, 2^29]; 0 for the default
   *     tape, which starts small and doubles
   * @return the run, before its first document
   * @throws IllegalArgumentException if keys is empty or expectedTuples is out of range
   */
  public static DetectStream of(List<Watermarker> keys, DetectorConfig config, SegmentSearch search, double alpha,
      List<ResultSink> sinks, long expectedTuples) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys is empty");
    }
    if (expectedTuples < 0 || expectedTuples > 1L << 29) {
      throw new IllegalArgumentException("expectedTuples is not in [0, 2^29]: " + expectedTuples);
    }
    return new DetectStream(keys, config, search, alpha, sinks, expectedTuples);
  }

  /**
   * Tells the sinks what is tested.
   *
   * @param run the run's description
   * @throws IOException if a sink fails
   */
  public void start(RunInfo run) throws IOException {
    for (ResultSink s : sinks) {
      s.start(run);
    }
  }

  /**
   * Scores one document under every key, adds it to the pool and hands it to the sinks.
   *
   * @param id the record id
   * @param line its input line
   * @param prompt prompt token ids (context)
   * @param text text token ids
   * @return the document's result
   * @throws IOException if a sink fails
   * @throws IllegalArgumentException if a token id is outside the keys' vocabulary
   */
  public DocumentResult document(String id, int line, int[] prompt, int[] text) throws IOException {
    return document(id, line, TokenVariants.of(prompt, text));
  }

  /**
   * Scores one document given in several variants (its canonical forms, decided from the text
   * alone): under each key the best variant's p-value, Bonferroni-corrected for their number
   * ({@link TokenVariants#detect}); every variant's tuples go to the pooled tapes, which score
   * each distinct tuple once. The document's tokens, as the writers show them, are the first
   * variant's (the text as given).
   *
   * @param id the record id
   * @param line its input line
   * @param variants the document's token variants, the text as given first
   * @return the document's result
   * @throws IOException if a sink fails
   * @throws IllegalArgumentException if a token id is outside the keys' vocabulary
   */
  public DocumentResult document(String id, int line, TokenVariants variants) throws IOException {
    int[] prompt = variants.prompts().get(0);
    int[] text = variants.texts().get(0);
    int k = detectors.length;
    List<DetectionResult> results = new ArrayList<>(k);
    List<SegmentResult> segs = search == null ? null : new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      results.add(variants.detect(detectors[i]).result());
      variants.addTo(tapes[i]);
      if (search != null) {
        segs.add(variants.search(search, detectors[i]));
      }
    }
    MultiKeyResult m = perDocument.correct(results, segs);
    DocumentResult d = new DocumentResult(documents, id, line, prompt, text, m);
    documents++;
    tokens += text.length;
    verdicts[m.verdict().ordinal()]++;
    if (documents % curveStride == 0) {
      addCurvePoint();
    }
    for (ResultSink s : sinks) {
      s.document(d);
    }
    return d;
  }

  private void addCurvePoint() {
    for (int i = 0; i < tapes.length; i++) {
      List<CurvePoint> c = curves.get(i);
      DetectionResult r = tapes[i].result();
      if (!c.isEmpty() && c.get(c.size() - 1).tuples() == r.tokensScored()) {
        continue;
      }
      c.add(new CurvePoint(r.tokensScored(), r.log10P()));
    }
    if (curves.get(0).size() >= CURVE_POINTS) {
      curveStride *= 2;
      for (List<CurvePoint> c : curves) {
        List<CurvePoint> kept = new ArrayList<>(CURVE_POINTS);
        for (int j = 1; j < c.size(); j += 2) {
          kept.add(c.get(j));
        }
        c.clear();
        c.addAll(kept);
      }
    }
  }

  /**
   * Pools every document scored so far, gives the pool its verdict and hands the outcome to the sinks.
   *
   * @param read what the reader skipped
   * @param alpha the family-wise level (for the statement)
   * @return the outcome
   * @throws IOException if a sink fails
   */
  public RunOutcome finish(ReadSummary read, double alpha) throws IOException {
    List<DetectionResult> results = new ArrayList<>(tapes.length);
    for (Detector.Tape t : tapes) {
      results.add(t.result());
    }
    MultiKeyResult m = pooled.correct(results);
    List<KeyOutcome> ks = new ArrayList<>();
    for (int i = 0; i < m.entries().size(); i++) {
      MultiKeyResult.Entry e = m.entries().get(i);
      DetectionResult r = e.result();
      List<CurvePoint> c = new ArrayList<>(curves.get(i));
      if (c.isEmpty() || c.get(c.size() - 1).tuples() != r.tokensScored()) {
        c.add(new CurvePoint(r.tokensScored(), r.log10P()));
      }
      ks.add(new KeyOutcome(r.keyId(), r.tokensScored(), r.rate(), r.nullRate(), r.log10P(), e.log10PCorrected(),
          e.verdict(), c));
    }
    RunOutcome o = new RunOutcome(Claim.DETECT_POOLED, m.verdict(),
        Claim.DETECT_POOLED.sentence(m.verdict(), m.claimKeys(), alpha), ks, documents, tokens, verdicts,
        documentFamily, read, m, null);
    for (ResultSink s : sinks) {
      s.finish(o);
    }
    return o;
  }

  /**
   * Ends a radioactivity run whose documents (the suspect's answers) were scored here for the
   * per-document writers: the verdict is the radioactivity test's, not this stream's pool.
   *
   * @param claim the test's kind ({@link Claim#CLOSED} or {@link Claim#READING})
   * @param ar the corrected radioactivity tests, one per key in this stream's order
   * @param read what the reader skipped, or null
   * @return the outcome handed to the sinks
   * @throws IOException if a sink fails
   */
  public RunOutcome finish(Claim claim, AttributionResult ar, ReadSummary read) throws IOException {
    List<KeyOutcome> ks = new ArrayList<>();
    for (AttributionResult.Entry e : ar.entries()) {
      RadioactivityResult r = e.result();
      ks.add(new KeyOutcome(r.keyId(), r.tuplesScored(), r.rate(), r.nullRate(), r.log10P(), e.log10PCorrected(),
          e.verdict(), r.curve()));
    }
    RunOutcome o = new RunOutcome(claim, ar.verdict(), claim.sentence(ar.verdict(), ar.claimKeys(), ar.alpha()), ks,
        documents, tokens, verdicts, documentFamily, read, null, ar);
    for (ResultSink s : sinks) {
      s.finish(o);
    }
    return o;
  }

  /** @return the keys, in the order of every result's entries */
  public List<Watermarker> keys() {
    return keys;
  }
}
