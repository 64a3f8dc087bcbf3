package dev.radiomark.verify.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Evidence;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.radioactivity.ReadingModeTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading mode on real distillation: the fixture's teacher ({@code tiny-gpt.onnx}) and two
 * students fine-tuned from it by {@code examples/fixtures/make_onnx_fixture.py}, one on the
 * teacher's answers sampled with the watermark of the test key {@code students/test-key.json}
 * (by the project's Java sampler), one on as many answers sampled without it. Only the first
 * learned the watermark; the teacher and the control never saw a watermarked token.
 *
 * <p>Everything is seeded (the probes, the models), so each assertion is deterministic. Were the
 * seeds drawn at random, the innocent models' assertions (log10 p above -3) would each fail with
 * probability at most 1e-3 (the p-values are exact or conservative); the student's fails only
 * if it did not learn the watermark.
 */
public class OnnxStudentsTest {
  static final Path STUDENTS = OnnxCausalLmTest.DIR.resolve("students");
  static final Path KEY = STUDENTS.resolve("test-key.json");
  /** Probe texts: answers of the teacher to one-token prompts, under the test key. */
  public static final int PROBES = 120;

  static Watermarker watermarker;
  static List<int[]> probes;

  @BeforeAll
  static void probes() {
    watermarker = KeyFiles.read(KEY).watermarker();
    try (OnnxCausalLm teacher = OnnxCausalLm.open(OnnxCausalLmTest.DIR.resolve("tiny-gpt-kv.onnx"),
        OnnxCausalLmTest.ONE_THREAD).requireVocabulary(watermarker.spec())) {
      probes = probes(teacher, watermarker, PROBES, 2026L);
    }
  }

  /**
   * Texts filling the model's context, sampled from it under the watermark from one-token
   * prompts (ids 3, 4, ...: the most frequent words).
   */
  public static List<int[]> probes(OnnxCausalLm lm, Watermarker wm, int count, long seed) {
    Sampler sampler = wm.sampler(SamplingConfig.defaults());
    DecodeState state = sampler.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    float[] logits = new float[lm.vocabSize()];
    List<int[]> texts = new ArrayList<>();
    try (OnnxCausalLm.Decoder d = lm.newDecoder()) {
      for (int i = 0; i < count; i++) {
        int[] text = new int[lm.maxContext()];
        text[0] = 3 + i % 200;
        d.reset();
        d.append(text, 0, 1, logits);
        for (int len = 1; len < text.length; len++) {
          text[len] = sampler.sample(logits, text, len, state);
          if (len + 1 < text.length) {
            d.append(text, len, len + 1, logits);
          }
        }
        texts.add(text);
      }
    }
    return texts;
  }

  static RadioactivityResult read(Path model, int topK, boolean weighted) {
    try (OnnxCausalLm lm = OnnxCausalLm.open(model, OnnxCausalLmTest.ONE_THREAD).requireVocabulary(watermarker.spec())) {
      return ReadingModeTest.builder(watermarker, OnnxSuspectModel.of(lm))
          .chunkLength(64).maxContext(64).batchSize(128).budget(100_000).topK(topK).weighted(weighted)
          .build().run(probes);
    }
  }

  @Test
  void theWatermarkedStudentIsFlaggedTheControlAndTheTeacherAreNot() {
    RadioactivityResult student = read(STUDENTS.resolve("student-wm.onnx"), 1, false);
    RadioactivityResult control = read(STUDENTS.resolve("student-plain.onnx"), 1, false);
    RadioactivityResult teacher = read(OnnxCausalLmTest.DIR.resolve("tiny-gpt.onnx"), 1, false);
    // Same probes, same tape: the three read the same texts and score comparable tuple counts.
    assertEquals(student.tokensRead(), control.tokensRead());
    for (RadioactivityResult r : new RadioactivityResult[] {student, control, teacher}) {
      assertTrue(r.tuplesScored() > 500, r.toString());
    }
    assertTrue(student.reject(1e-6), "watermarked student: " + student);
    assertTrue(student.rate() > student.nullRate(), student.toString());
    assertTrue(control.log10P() > -3, "control student: " + control);
    assertTrue(teacher.log10P() > -3, "teacher: " + teacher);
    assertEquals(Verdict.FLAGGED, verdict(student));
    assertEquals(Verdict.NOT_FLAGGED, verdict(control));
    assertEquals(Verdict.NOT_FLAGGED, verdict(teacher));
  }

  static Verdict verdict(RadioactivityResult r) {
    return Evidence.verdict(NullModel.of(watermarker.spec()), r.tuplesScored(), r.log10P(), 1e-6);
  }

  @Test
  void theStudentCarriesOnlyItsTeachersKey() {
    // Probes watermarked under a key the student never saw: it reads them as an innocent model.
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 5);
    Watermarker other = Watermarker.of(WatermarkKey.of("other", secret), watermarker.spec());
    try (OnnxCausalLm teacher = OnnxCausalLm.open(OnnxCausalLmTest.DIR.resolve("tiny-gpt-kv.onnx"), OnnxCausalLmTest.ONE_THREAD);
        OnnxCausalLm student = OnnxCausalLm.open(STUDENTS.resolve("student-wm.onnx"), OnnxCausalLmTest.ONE_THREAD)) {
      List<int[]> texts = probes(teacher, other, PROBES, 2026L);
      RadioactivityResult r = ReadingModeTest.builder(other, OnnxSuspectModel.of(student))
          .chunkLength(64).maxContext(64).batchSize(128).budget(100_000).build().run(texts);
      assertTrue(r.tuplesScored() > 500, r.toString());
      assertTrue(r.log10P() > -3, "watermarked student under another key: " + r);
    }
  }

  @Test
  void theWeightedTopKScoringAgrees() {
    RadioactivityResult student = read(STUDENTS.resolve("student-wm.onnx"), 8, true);
    RadioactivityResult control = read(STUDENTS.resolve("student-plain.onnx"), 8, true);
    assertTrue(student.reject(1e-6), "watermarked student, top-8 weighted: " + student);
    assertTrue(control.log10P() > -3, "control student, top-8 weighted: " + control);
  }
}
