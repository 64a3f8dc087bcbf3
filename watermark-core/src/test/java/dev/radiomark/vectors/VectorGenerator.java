package dev.radiomark.vectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes {@code src/test/resources/vectors/prf-v1.tsv} and {@code scheme-v1.tsv}. Run only on
 * purpose, when a new version is added (released vectors are frozen and never regenerated):
 *
 * <pre>
 * mvn -B -q -pl watermark-core verify -Dtest=VectorGenerator -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dradiomark.vectors.commit=$(git rev-parse --short HEAD)
 * </pre>
 */
class VectorGenerator {
  /** TEST VALUES ONLY: public secrets for the vectors, never keys. */
  static final String SECRET_A = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final String SECRET_B = "544553542056414c5545204f4e4c5921"; // ASCII "TEST VALUE ONLY!"

  @Test
  @EnabledIfSystemProperty(named = "radiomark.vectors.commit", matches = ".+")
  void write() throws IOException {
    main(new String[] {"src/test/resources/vectors", System.getProperty("radiomark.vectors.commit")});
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String header = header(args[1]);
    List<String> prf = new ArrayList<>();
    prf.add("kind\tsecret\tdomain\tinput\toutput");
    String[] domains = {"green-list/v1", "gumbel/v1", "tournament/v1"};
    for (String secret : new String[] {SECRET_A, SECRET_B}) {
      for (String d : domains) {
        prf.add(prfRow("subkeys", secret, d, "-"));
      }
      for (String tokens : new String[] {"", "0", "1", "0,1", "100,200,300", "1,2,3,4",
          "4294967295", "-1,0", "2147483647,50256,0,13,7", "5,6,7,8,9,10,11,12"}) {
        prf.add(prfRow("ordered", secret, "green-list/v1", "tokens=" + tokens));
      }
      for (String tokens : new String[] {"0", "1,2,3,4", "4,3,2,1", "200018,17,17,5"}) {
        prf.add(prfRow("minhash", secret, "green-list/v1", "tokens=" + tokens));
      }
      for (String t : new String[] {"0", "1", "-1", "50256", "2147483647"}) {
        prf.add(prfRow("tokenhash", secret, "green-list/v1", "token=" + t));
      }
      prf.add(prfRow("derive", secret, "-", "id=acme;tenant=cohort-7"));
      prf.add(prfRow("derive", secret, "-", "id=acme;epoch=2925"));
    }
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261127L);
    long[] seeds = {0L, 1L, -1L, 0x8000000000000000L, rng.nextLong(), rng.nextLong(), rng.nextLong()};
    for (long seed : seeds) {
      for (int token : new int[] {0, 1, 7, 50256, -1}) {
        prf.add(prfRow("value", "-", "-", "seed=" + VectorRows.hex(seed) + ";token=" + token));
      }
    }
    for (int i = 0; i < 12; i++) {
      prf.add(prfRow("value", "-", "-", "seed=" + VectorRows.hex(rng.nextLong()) + ";token=" + rng.nextInt(200019)));
    }
    for (String g : new String[] {"0.25", "0.5", "0.1", "1e-9"}) {
      prf.add(prfRow("threshold", "-", "-", "gamma=" + g));
    }

    List<String> sch = new ArrayList<>();
    sch.add("kind\tsecret\tspec\tinput\toutput");
    String[][] windows = {{"0", "", "5"}, {"1", "42", "5"}, {"1", "42", "17"}, {"4", "9,8,7,6", "999"},
        {"4", "9,8,7,6", "1"}, {"4", "6,7,8,9", "999"}, {"2", "50256,13", "0"}};
    for (String secret : new String[] {SECRET_A, SECRET_B}) {
      for (String scheme : new String[] {"green-list", "gumbel", "tournament"}) {
        for (String rule : new String[] {"ordered", "min-hash", "self-seeding"}) {
          for (String[] w : windows) {
            if (w[0].equals("0") && !rule.equals("ordered")) {
              continue;
            }
            String spec = specText(scheme, w[0], rule, 100000);
            sch.add(schemeRow("score", secret, spec, "tokens=" + w[1] + ";token=" + w[2]));
          }
        }
      }
      String row = "1.5,0.25,-2,3.0,2.875,-1e30,0,0.5";
      for (String rule : new String[] {"ordered", "self-seeding"}) {
        String spec = specText("green-list", "1", rule, 8);
        for (String ctx : new String[] {"3", "4", "0,7"}) {
          sch.add(schemeRow("green-bias", secret, spec, "tokens=" + ctx + ";logits=" + row));
        }
      }
      for (String rule : new String[] {"ordered", "min-hash", "self-seeding"}) {
        String spec = specText("gumbel", "2", rule, 8);
        for (String ctx : new String[] {"1,2", "2,1", "3,5", "7,7"}) {
          for (String t : new String[] {"1.0", "0.7"}) {
            sch.add(schemeRow("gumbel-pick", secret, spec,
                "tokens=" + ctx + ";temperature=" + t + ";logits=" + row));
          }
        }
      }
    }
    Files.createDirectories(dir);
    write(dir.resolve("prf-v1.tsv"), header, prf);
    write(dir.resolve("scheme-v1.tsv"), header, sch);
  }

  static String specText(String scheme, String h, String rule, int vocab) {
    return "scheme=" + scheme + ";h=" + h + ";rule=" + rule + ";gamma=0.25;delta=2.0;layers=30;vocab=" + vocab;
  }

  private static String prfRow(String kind, String secret, String domain, String input) {
    return String.join("\t", kind, secret, domain, input, VectorRows.prf(kind, secret, domain, input));
  }

  private static String schemeRow(String kind, String secret, String spec, String input) {
    return String.join("\t", kind, secret, spec, input, VectorRows.scheme(kind, secret, spec, input));
  }

  private static String header(String commit) {
    return "# Radiomark version-1 test vectors (PRF v1, schemes green-list/v1, gumbel/v1, tournament/v1).\n"
        + "# TEST VALUES ONLY: the secrets in this file are public test inputs; never use them as keys.\n"
        + "# Produced by dev.radiomark.vectors.VectorGenerator (watermark-core, test scope) at commit "
        + commit + ", Java " + System.getProperty("java.version") + ".\n"
        + "# Cross-checked: every 'ordered' seed equals Guava " + guavaVersion()
        + " Hashing.sipHash24(k0, k1) over the tokens as int32 little-endian (an independent SipHash-2-4).\n"
        + "# Format: tab-separated, one header line, '#' comments. Longs: 16 lowercase hex digits (two's\n"
        + "# complement). Doubles: Java Double.toHexString (C99 %a). Floats: Float.toHexString. Token lists:\n"
        + "# decimal int32, comma-separated (4294967295 means -1 taken as uint32). Semantics: docs/SPEC.md.\n"
        + "# Frozen: rows are never changed; a new version gets a new file.\n";
  }

  private static String guavaVersion() {
    try (java.io.InputStream in = com.google.common.hash.Hashing.class.getResourceAsStream(
        "/META-INF/maven/com.google.guava/guava/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      return "(version unknown)";
    }
  }

  private static void write(Path p, String header, List<String> rows) throws IOException {
    StringBuilder sb = new StringBuilder(header);
    for (String r : rows) {
      sb.append(r).append('\n');
    }
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
  }
}
