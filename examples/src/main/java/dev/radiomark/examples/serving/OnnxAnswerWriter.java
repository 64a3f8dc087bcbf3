package dev.radiomark.examples.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.SamplingConfig;
import dev.radiomark.io.AtomicFiles;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.verify.onnx.OnnxCausalLm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Writes a teacher's answers to prompts, sampled through {@link OnnxServingLoop} with the
 * watermarked sampler of a key file or with the plain sampler: the training data of the student
 * models that the fixture script {@code examples/fixtures/make_onnx_fixture.py} fine-tunes (one
 * student on watermarked answers, one on plain answers). The watermark is therefore the project's
 * own sampler, not a re-implementation.
 *
 * <pre>
 * OnnxAnswerWriter --model M.onnx --prompts P.jsonl --out A.jsonl --max-new N --seed S (--key K.key | --plain)
 * </pre>
 *
 * <p>Input: one JSON object a line with {@code "prompt_tokens": [ids]}. Output: the same lines
 * with {@code "tokens": [ids]} (the answer) added, written atomically. Deterministic for a given
 * seed: one random stream, requests in input order, temperature 1, no end-of-sequence stop.
 */
public final class OnnxAnswerWriter {
  private OnnxAnswerWriter() {}

  /**
   * Runs the writer; exits 0 on success, 2 on a usage or input error (the message names the
   * option, or the file and line), 1 on an I/O error; the output file is then not written.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("OnnxAnswerWriter: " + e.getMessage());
      System.exit(2);
    } catch (UncheckedIOException e) {
      System.err.println("OnnxAnswerWriter: " + e.getCause().getMessage());
      System.exit(1);
    }
  }

  static void run(String[] args) {
    Path model = null;
    Path prompts = null;
    Path out = null;
    Path key = null;
    boolean plain = false;
    int maxNew = -1;
    long seed = 0;
    boolean seeded = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--plain")) {
        plain = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--model" -> model = Path.of(v);
        case "--prompts" -> prompts = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--key" -> key = Path.of(v);
        case "--max-new" -> maxNew = (int) number(a, v, 1, Integer.MAX_VALUE);
        case "--seed" -> {
          seed = number(a, v, Long.MIN_VALUE, Long.MAX_VALUE);
          seeded = true;
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (model == null || prompts == null || out == null || maxNew < 1 || !seeded || (key == null) == !plain) {
      throw new IllegalArgumentException("usage: --model M.onnx --prompts P.jsonl --out A.jsonl --max-new N "
          + "--seed S (--key K.key | --plain)");
    }
    ObjectMapper json = new ObjectMapper();
    List<int[]> inputs = readPrompts(json, prompts);
    try (OnnxCausalLm lm = OnnxCausalLm.open(model, OnnxCausalLm.Options.defaults().withThreads(1))) {
      OnnxServingLoop loop = plain ? OnnxServingLoop.plain(lm, SamplingConfig.defaults())
          : OnnxServingLoop.watermarked(lm, KeyFiles.read(key).watermarker(), SamplingConfig.defaults(), null);
      UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
      StringBuilder sb = new StringBuilder();
      long tokens = 0;
      for (int n = 0; n < inputs.size(); n++) {
        int[] p = inputs.get(n);
        for (int i = 0; i < p.length; i++) {
          if (p[i] >= lm.vocabSize()) {
            throw new IllegalArgumentException(prompts + ": prompt " + (n + 1) + ": prompt_tokens[" + i + "] = " + p[i]
                + " is not below the model's vocabulary size " + lm.vocabSize());
          }
        }
        if (lm.maxContext() > 0 && p.length + maxNew > lm.maxContext()) {
          throw new IllegalArgumentException(prompts + ": a prompt of " + p.length + " tokens plus --max-new "
              + maxNew + " exceeds the model's context " + lm.maxContext());
        }
        int[] all = loop.generate(p, maxNew, -1, rng);
        int[] answer = Arrays.copyOfRange(all, p.length, all.length);
        tokens += answer.length;
        sb.append("{\"prompt_tokens\":").append(Arrays.toString(p).replace(" ", ""))
            .append(",\"tokens\":").append(Arrays.toString(answer).replace(" ", "")).append("}\n");
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      AtomicFiles.replace(out, o -> o.write(bytes));
      System.err.printf(Locale.ROOT, "OnnxAnswerWriter: %d answers, %d tokens, %s, to %s%n", inputs.size(), tokens,
          plain ? "plain" : "watermarked", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long number(String option, String value, long min, long max) {
    try {
      long v = Long.parseLong(value);
      if (v < min || v > max) {
        throw new IllegalArgumentException(option + " is not in [" + min + ", " + max + "]: " + value);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " is not an integer: " + value);
    }
  }

  private static List<int[]> readPrompts(ObjectMapper json, Path prompts) {
    List<String> lines;
    try {
      lines = Files.readAllLines(prompts, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException(prompts + ": " + e.getMessage(), e));
    }
    List<int[]> out = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String where = prompts + " line " + (n + 1);
      JsonNode ids;
      try {
        ids = json.readTree(line).get("prompt_tokens");
      } catch (IOException e) {
        throw new IllegalArgumentException(where + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (ids == null || !ids.isArray() || ids.isEmpty()) {
        throw new IllegalArgumentException(where + ": no non-empty \"prompt_tokens\" array");
      }
      int[] p = new int[ids.size()];
      for (int i = 0; i < p.length; i++) {
        if (!ids.get(i).canConvertToInt() || ids.get(i).asInt() < 0) {
          throw new IllegalArgumentException(where + ": prompt_tokens[" + i + "] is not a token id: " + ids.get(i));
        }
        p[i] = ids.get(i).asInt();
      }
      out.add(p);
    }
    return out;
  }
}
