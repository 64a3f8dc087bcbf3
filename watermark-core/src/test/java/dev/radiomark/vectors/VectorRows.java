package dev.radiomark.vectors;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.prf.KeyedPrf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Computes the output column of a test-vector row from its other columns. The generator writes
 * what this returns; {@link VectorsTest} recomputes every row and compares the strings exactly.
 *
 * <p>Encodings: longs as 16 lowercase hex digits (two's complement, {@code %016x}); doubles as
 * {@link Double#toHexString} (C99 {@code %a}); floats as {@link Float#toHexString}; token lists as
 * decimal ids separated by commas.
 */
final class VectorRows {
  private VectorRows() {}

  static String hex(long v) {
    return String.format(Locale.ROOT, "%016x", v);
  }

  static Map<String, String> fields(String s) {
    Map<String, String> m = new LinkedHashMap<>();
    if (s.equals("-")) {
      return m;
    }
    for (String kv : s.split(";")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }

  static int[] ints(String csv) {
    if (csv.isEmpty()) {
      return new int[0];
    }
    String[] p = csv.split(",");
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = (int) Long.parseLong(p[i]); // accepts int32 and uint32 spellings
    }
    return out;
  }

  static float[] floats(String csv) {
    String[] p = csv.split(",");
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Float.parseFloat(p[i]);
    }
    return out;
  }

  /** Computes the PRF file's output column. */
  static String prf(String kind, String secretHex, String domain, String input) {
    byte[] secret = secretHex.equals("-") ? null : HexFormat.of().parseHex(secretHex);
    Map<String, String> in = fields(input);
    switch (kind) {
      case "subkeys": {
        byte[] tag = KeyedPrf.hmacSha256(secret,
            ("radiomark/prf/v1/" + domain).getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(tag).order(ByteOrder.LITTLE_ENDIAN);
        return "k0=" + hex(b.getLong(0)) + ";k1=" + hex(b.getLong(8)) + ";kTok=" + hex(b.getLong(16));
      }
      case "ordered": {
        int[] t = ints(in.get("tokens"));
        return "seed=" + hex(KeyedPrf.derive(secret, domain).orderedSeed(t, 0, t.length));
      }
      case "minhash": {
        int[] t = ints(in.get("tokens"));
        return "seed=" + hex(KeyedPrf.derive(secret, domain).minHashSeed(t, 0, t.length));
      }
      case "tokenhash":
        return "hash=" + hex(KeyedPrf.derive(secret, domain).tokenHash(Integer.parseInt(in.get("token"))));
      case "value": {
        long seed = Long.parseUnsignedLong(in.get("seed"), 16);
        long v = KeyedPrf.value(seed, Integer.parseInt(in.get("token")));
        boolean green = (v >>> 11) < KeyedPrf.greenThreshold(0.25);
        return "value=" + hex(v) + ";unit=" + Double.toHexString(KeyedPrf.unitOpen(v))
            + ";green0.25=" + (green ? 1 : 0);
      }
      case "threshold":
        return "threshold=" + hex(KeyedPrf.greenThreshold(Double.parseDouble(in.get("gamma"))));
      case "derive": {
        WatermarkKey k = WatermarkKey.of(in.get("id"), secret);
        WatermarkKey d = in.containsKey("tenant") ? k.forTenant(in.get("tenant"))
            : k.forEpoch(Long.parseLong(in.get("epoch")));
        return "id=" + d.id() + ";secret=" + HexFormat.of().formatHex(d.secret());
      }
      default:
        throw new IllegalArgumentException("unknown kind " + kind);
    }
  }

  static WatermarkSpec spec(String s) {
    Map<String, String> f = fields(s);
    Scheme scheme = Scheme.fromLabel(f.get("scheme"));
    return new WatermarkSpec(scheme, scheme.version(), "test", Integer.parseInt(f.get("vocab")),
        Integer.parseInt(f.get("h")), WindowRule.fromLabel(f.get("rule")),
        Double.parseDouble(f.get("gamma")), Double.parseDouble(f.get("delta")),
        Integer.parseInt(f.get("layers")));
  }

  /** A randomness source that fails if used: proves a decision needs no randomness. */
  static final UniformRandomProvider NO_RANDOMNESS = new UniformRandomProvider() {
    @Override
    public long nextLong() {
      throw new AssertionError("this decision must not use randomness");
    }
  };

  /** Computes the scheme file's output column. */
  static String scheme(String kind, String secretHex, String specText, String input) {
    WatermarkKey key = WatermarkKey.of("vector", HexFormat.of().parseHex(secretHex));
    WatermarkSpec spec = spec(specText);
    Watermarker w = Watermarker.of(key, spec);
    Map<String, String> in = fields(input);
    int[] tokens = ints(in.get("tokens"));
    switch (kind) {
      case "score": {
        int token = Integer.parseInt(in.get("token"));
        long ws = w.windowSeed(tokens, tokens.length);
        return "window=" + hex(ws) + ";tuple=" + hex(w.tupleSeed(ws, token))
            + ";score=" + Double.toHexString(w.score(ws, token));
      }
      case "gumbel-pick": {
        SamplingConfig c = SamplingConfig.defaults()
            .withTemperature(Double.parseDouble(in.get("temperature")));
        Sampler s = w.sampler(c);
        DecodeState st = s.newState(NO_RANDOMNESS);
        return "token=" + s.sample(floats(in.get("logits")), tokens, tokens.length, st);
      }
      case "green-bias": {
        float[] row = floats(in.get("logits"));
        w.processor().bias(row, tokens, tokens.length);
        StringBuilder sb = new StringBuilder("logits=");
        for (int i = 0; i < row.length; i++) {
          sb.append(i == 0 ? "" : ",").append(Float.toHexString(row[i]));
        }
        return sb.toString();
      }
      default:
        throw new IllegalArgumentException("unknown kind " + kind);
    }
  }
}
