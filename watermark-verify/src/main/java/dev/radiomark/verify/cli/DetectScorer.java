package dev.radiomark.verify.cli;

import dev.radiomark.key.KeyFile;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.MultiKey;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.SegmentSearch;
import dev.radiomark.verify.TokenVariants;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.text.Canonicalizer;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The scoring loop of {@code wm detect}: scores one record at a time under every key (whole text
 * and, optionally, best segment), corrects the record's family, and feeds the pooled tapes.
 * Memory is the tapes', not the records'. Not thread-safe.
 */
final class DetectScorer {
  /** One scored record: what was read and the corrected family of its tests. */
  record RecordResult(String id, int line, int tokens, int promptTokens, MultiKeyResult result) {}

  /**
   * All records pooled: counts, the corrected family of the pooled tests, and how many records
   * got each verdict (indexed by {@link Verdict#ordinal()}) in families of {@code recordFamily} tests.
   */
  record PoolResult(long records, long tokens, MultiKeyResult result, long[] recordVerdicts, int recordFamily) {}

  private static final int[] EMPTY = new int[0];

  private final TextTokenizer tokenizer;
  private final Canonicalizer canonicalizer;
  private final SegmentSearch search;
  private final Detector[] detectors;
  private final Detector.Tape[] tapes;
  private final MultiKey perRecord;
  private final MultiKey pooled;
  private final long[] verdicts = new long[Verdict.values().length];
  private final int recordFamily;
  private long records;
  private long tokens;

  /**
   * @param keys the key files, all of one tokenizer
   * @param config detector options
   * @param tokenizer the keys' tokenizer
   * @param search the segment search, or null
   * @param alpha family-wise level
   * @param canonicalizer which canonical variants of a text record to try (token-id records: none)
   */
  DetectScorer(List<KeyFile> keys, DetectorConfig config, TextTokenizer tokenizer, SegmentSearch search,
      double alpha, Canonicalizer canonicalizer) {
    this.tokenizer = tokenizer;
    this.canonicalizer = canonicalizer;
    this.search = search;
    int k = keys.size();
    detectors = new Detector[k];
    tapes = new Detector.Tape[k];
    List<NullModel> nulls = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      detectors[i] = Detector.of(keys.get(i).watermarker(), config);
      tapes[i] = detectors[i].newTape();
      nulls.add(detectors[i].nullModel());
    }
    perRecord = MultiKey.of(nulls, alpha, search != null);
    recordFamily = k * (search != null ? 2 : 1);
    pooled = search == null ? perRecord : MultiKey.of(nulls, alpha, false);
  }

  /** Scores one record under every key and adds it to the pool. */
  RecordResult score(TextRecord r, String source) {
    int[] prompt = r.promptIds(tokenizer, source);
    int[] text = r.textIds(tokenizer, source);
    // Variants are decided from the text alone (never from a key or a score); see TokenVariants.
    TokenVariants variants = r.tokens() != null || !canonicalizer.enabled() ? TokenVariants.of(prompt, text)
        : TokenVariants.of(canonicalizer, tokenizer, r.prompt(), r.text());
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
    MultiKeyResult m = perRecord.correct(results, segs);
    records++;
    tokens += text.length;
    verdicts[m.verdict().ordinal()]++;
    return new RecordResult(r.id(), r.lineNumber(), text.length, prompt.length, m);
  }

  /** The pooled result of every record scored so far. */
  PoolResult pool() {
    List<DetectionResult> results = new ArrayList<>(tapes.length);
    for (Detector.Tape t : tapes) {
      results.add(t.result());
    }
    return new PoolResult(records, tokens, pooled.correct(results), verdicts.clone(), recordFamily);
  }
}
