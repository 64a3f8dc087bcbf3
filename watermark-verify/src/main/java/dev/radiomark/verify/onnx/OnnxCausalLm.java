package dev.radiomark.verify.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.radiomark.WatermarkSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A causal language model exported to ONNX (the layout of the package documentation), run on
 * the CPU with ONNX Runtime.
 *
 * <p>{@link #nextTokenLogits} runs a batch of contexts from scratch (right-padded; see there);
 * {@link #newDecoder()} decodes one sequence token by token, with the key/value cache when the
 * model has one and by recomputing the whole prefix when it has not.
 *
 * <p>Thread-safety: an {@code OnnxCausalLm} is thread-safe (ONNX Runtime sessions accept
 * concurrent runs); a {@link Decoder} belongs to one sequence and is not. Close the model after
 * its decoders; it owns native memory.
 */
public final class OnnxCausalLm implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String POSITION_IDS = "position_ids";
  static final String LOGITS = "logits";
  static final String PAST = "past_key_values.";
  static final String PRESENT = "present.";
  static final String MAX_POSITIONS = "max_position_embeddings";

  /**
   * How to open a model.
   *
   * @param threads ONNX Runtime intra-op threads per run, at least 0 (0: its default, one per core)
   * @param maxContext the longest context the model accepts, at least 0 (0: read the model's
   *     {@code max_position_embeddings} metadata; unbounded if it has none)
   */
  public record Options(int threads, int maxContext) {
    /**
     * @throws IllegalArgumentException if a value is negative
     */
    public Options {
      if (threads < 0) {
        throw new IllegalArgumentException("threads is not in [0, 2147483647]: " + threads);
      }
      if (maxContext < 0) {
        throw new IllegalArgumentException("maxContext is not in [0, 2147483647]: " + maxContext);
      }
    }

    /** @return ONNX Runtime's default threads, the context bound from the model */
    public static Options defaults() {
      return new Options(0, 0);
    }

    /**
     * @param n intra-op threads, at least 0
     * @return a copy with that many threads
     */
    public Options withThreads(int n) {
      return new Options(n, maxContext);
    }

    /**
     * @param n the longest context, at least 0 (0: from the model)
     * @return a copy with that bound
     */
    public Options withMaxContext(int n) {
      return new Options(threads, n);
    }
  }

  private final Path path;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final int vocabSize;
  private final int maxContext;
  private final boolean hasMask;
  private final boolean hasPositions;
  /** Cache inputs, their outputs and their [heads, head_dim]; empty without a cache. */
  private final String[] pastNames;
  private final String[] presentNames;
  private final long[][] pastDims;

  private OnnxCausalLm(Path path, OrtEnvironment env, OrtSession session, Options options) throws OrtException {
    this.path = path;
    this.env = env;
    this.session = session;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    shape(inputs, INPUT_IDS, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, 2, "inputs");
    long[] logits = shape(outputs, LOGITS, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, 3, "outputs");
    if (logits[2] < 2 || logits[2] > Integer.MAX_VALUE) {
      throw invalid("the vocabulary dimension of logits is not fixed (or below 2): %s", Arrays.toString(logits));
    }
    this.vocabSize = (int) logits[2];
    this.hasMask = inputs.containsKey(ATTENTION_MASK);
    this.hasPositions = inputs.containsKey(POSITION_IDS);
    if (hasMask) {
      shape(inputs, ATTENTION_MASK, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, 2, "inputs");
    }
    if (hasPositions) {
      shape(inputs, POSITION_IDS, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, 2, "inputs");
    }
    List<String> past = new ArrayList<>();
    for (String name : new TreeSet<>(inputs.keySet())) {
      if (name.startsWith(PAST)) {
        past.add(name);
      } else if (!name.equals(INPUT_IDS) && !name.equals(ATTENTION_MASK) && !name.equals(POSITION_IDS)) {
        throw invalid("input %s is none of input_ids, attention_mask, position_ids, past_key_values.* (inputs: %s)",
            name, new TreeSet<>(inputs.keySet()));
      }
    }
    this.pastNames = past.toArray(new String[0]);
    this.presentNames = new String[pastNames.length];
    this.pastDims = new long[pastNames.length][];
    for (int i = 0; i < pastNames.length; i++) {
      long[] s = shape(inputs, pastNames[i], OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, 4, "inputs");
      if (s[1] < 1 || s[3] < 1) {
        throw invalid("%s has no fixed heads and head_dim (dimensions 1 and 3): %s", pastNames[i], Arrays.toString(s));
      }
      pastDims[i] = new long[] {s[1], s[3]};
      presentNames[i] = PRESENT + pastNames[i].substring(PAST.length());
      shape(outputs, presentNames[i], OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, 4, "outputs");
    }
    if (pastNames.length > 0 && !(hasMask && hasPositions)) {
      throw invalid("a model with past_key_values.* inputs needs attention_mask and position_ids inputs (inputs: %s)",
          new TreeSet<>(inputs.keySet()));
    }
    int max = options.maxContext();
    if (max == 0) {
      String m = session.getMetadata().getCustomMetadata().get(MAX_POSITIONS);
      if (m != null) {
        try {
          max = Integer.parseInt(m.trim());
        } catch (NumberFormatException e) {
          throw invalid("metadata %s is not an integer: %s", MAX_POSITIONS, m);
        }
      }
    }
    this.maxContext = max;
  }

  /**
   * Opens a model with the default options.
   *
   * @param model the {@code .onnx} file
   * @return the model
   * @throws IllegalArgumentException naming the file if it cannot be read or does not fit the layout
   */
  public static OnnxCausalLm open(Path model) {
    return open(model, Options.defaults());
  }

  /**
   * Opens a model.
   *
   * @param model the {@code .onnx} file
   * @param options threads and context bound
   * @return the model
   * @throws IllegalArgumentException naming the file if it cannot be read or does not fit the layout
   */
  public static OnnxCausalLm open(Path model, Options options) {
    if (model == null || options == null) {
      throw new IllegalArgumentException("model and options must not be null");
    }
    if (!Files.isRegularFile(model)) {
      throw new IllegalArgumentException("model is not a readable file: " + model);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(options.threads());
      so.setInterOpNumThreads(1);
      session = env.createSession(model.toString(), so);
    } catch (OrtException e) {
      throw new IllegalArgumentException(model + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
    try {
      return new OnnxCausalLm(model, env, session, options);
    } catch (OrtException | RuntimeException e) {
      try {
        session.close();
      } catch (OrtException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException(model + ": cannot read its inputs and outputs: " + e.getMessage(), e);
    }
  }

  /** @return the model file */
  public Path path() {
    return path;
  }

  /** @return the vocabulary size, the width of a logits row */
  public int vocabSize() {
    return vocabSize;
  }

  /** @return whether the model has the key/value cache inputs and outputs */
  public boolean hasKvCache() {
    return pastNames.length > 0;
  }

  /** @return the longest context accepted, 0 if unbounded */
  public int maxContext() {
    return maxContext;
  }

  /**
   * Refuses a model whose vocabulary differs from the watermark's.
   *
   * @param spec the watermark spec
   * @return this model
   * @throws IllegalArgumentException naming the file and both sizes when they differ
   */
  public OnnxCausalLm requireVocabulary(WatermarkSpec spec) {
    if (spec.vocabSize() != vocabSize) {
      throw invalid("its logits have %d entries but the %s vocabulary of the watermark has %d",
          vocabSize, spec.tokenizer(), spec.vocabSize());
    }
    return this;
  }

  /**
   * Next-token logits of each context, from scratch. The contexts are right-padded to the longest
   * (pad id 0, attention mask 0, positions 0, 1, ...): a causal model's logits at position p
   * depend only on the tokens at 0..p, so the padding after a context never changes its row.
   *
   * @param contexts context token ids; row {@code b} is used up to {@code lens[b]}
   * @param lens context lengths, each in [1, maxContext()] (any positive length if unbounded) and
   *     at most its context's length
   * @param batch number of contexts, in [1, contexts.length]
   * @param out receives {@code batch * vocabSize()} logits, row-major
   * @throws IllegalArgumentException on a bad length or token id
   * @throws IllegalStateException if ONNX Runtime fails
   */
  public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
    int[] pos = new int[batch];
    int[] rows = new int[batch];
    for (int b = 0; b < batch; b++) {
      rows[b] = b;
      pos[b] = lens[b] - 1;
    }
    rows(contexts, lens, batch, rows, pos, batch, out);
  }

  /**
   * Runs {@code n} right-padded rows once and copies the logits at position {@code pos[r]} of row
   * {@code row[r]} to {@code out[r * vocab, (r + 1) * vocab)} for each of {@code requests}.
   */
  void rows(int[][] contexts, int[] lens, int n, int[] row, int[] pos, int requests, float[] out) {
    if (n < 1 || n > contexts.length || n > lens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "batch is not in [1, %d]: %d", Math.min(contexts.length, lens.length), n));
    }
    if (out.length < (long) requests * vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "out has %d entries, fewer than %d rows of %d", out.length, requests, vocabSize));
    }
    int seq = 0;
    for (int b = 0; b < n; b++) {
      if (lens[b] > contexts[b].length) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "lens[%d] is longer than its context of %d tokens: %d", b, contexts[b].length, lens[b]));
      }
      checkLength(lens[b]);
      seq = Math.max(seq, lens[b]);
    }
    long[] ids = new long[n * seq];
    long[] mask = new long[n * seq];
    long[] positions = new long[n * seq];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < seq; i++) {
        positions[b * seq + i] = i;
      }
      for (int i = 0; i < lens[b]; i++) {
        ids[b * seq + i] = checkId(contexts[b][i]);
        mask[b * seq + i] = 1;
      }
    }
    FloatBuffer logits = directFloats((long) n * seq * vocabSize);
    try (Run run = new Run()) {
      run.inputs(ids, mask, positions, n, seq, seq, null, 0);
      run.go(logits, n, seq, Set.of(LOGITS));
      for (int r = 0; r < requests; r++) {
        logits.get((row[r] * seq + pos[r]) * vocabSize, out, r * vocabSize, vocabSize);
      }
    }
  }

  /**
   * A decoder for one sequence: feed tokens, read the next-token logits. Uses the key/value cache
   * when the model has one, else recomputes the whole prefix at every call.
   *
   * @return a new decoder at length 0
   */
  public Decoder newDecoder() {
    return new Decoder();
  }

  /** Closes the session. */
  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "OnnxCausalLm[%s, vocab %d, %s, max context %s]", path.getFileName(),
        vocabSize, hasKvCache() ? "kv cache (" + pastNames.length + " tensors)" : "no kv cache",
        maxContext == 0 ? "unbounded" : Integer.toString(maxContext));
  }

  /**
   * Incremental decoding of one sequence; not thread-safe. ONNX Runtime writes the logits into a
   * direct buffer that is reused, and one row is copied out; a step allocates only its small
   * input arrays and ONNX Runtime's tensors (the cache outputs among them).
   */
  public final class Decoder implements AutoCloseable {
    private long[] history = new long[16];
    private int length;
    /** The previous run's outputs, kept open because its present.* tensors are the next past. */
    private OrtSession.Result cache;
    private FloatBuffer logits = directFloats(vocabSize);

    private Decoder() {}

    /** @return the number of tokens fed so far */
    public int length() {
      return length;
    }

    /**
     * Feeds {@code tokens[from, to)} after the tokens fed so far and writes the logits of the
     * token that follows them.
     *
     * @param tokens token ids in [0, vocabSize())
     * @param from first token to feed
     * @param to end of the tokens to feed, above {@code from}; the sequence's length after the
     *     call must not exceed {@link #maxContext()} when it is bounded
     * @param out receives {@code vocabSize()} logits at {@code [0, vocabSize())}
     * @throws IllegalArgumentException on a bad range, token id or length
     * @throws IllegalStateException if ONNX Runtime fails
     */
    public void append(int[] tokens, int from, int to, float[] out) {
      if (from < 0 || to > tokens.length || from >= to) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "[from, to) is not a non-empty range of [0, %d): [%d, %d)", tokens.length, from, to));
      }
      if (out.length < vocabSize) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "out has %d entries, fewer than the vocabulary's %d", out.length, vocabSize));
      }
      int total = length + (to - from);
      checkLength(total);
      if (total > history.length) {
        history = Arrays.copyOf(history, Math.max(total, 2 * history.length));
      }
      for (int i = from; i < to; i++) {
        history[length + i - from] = checkId(tokens[i]);
      }
      boolean kv = hasKvCache();
      int start = kv ? length : 0;
      int seq = total - start;
      long[] ids = Arrays.copyOfRange(history, start, total);
      long[] mask = new long[total];
      Arrays.fill(mask, 1);
      long[] positions = new long[seq];
      for (int i = 0; i < seq; i++) {
        positions[i] = start + i;
      }
      if (logits.capacity() < (long) seq * vocabSize) {
        // Geometric growth: without a cache seq grows by one a step, and each direct allocation
        // may stall on the JVM's direct-memory accounting.
        logits = directFloats(Math.max((long) seq * vocabSize, 2L * logits.capacity()));
      }
      OrtSession.Result result;
      try (Run run = new Run()) {
        run.inputs(ids, mask, positions, 1, seq, total, cache, length);
        result = run.go(logits, 1, seq, null);
      }
      logits.get((seq - 1) * vocabSize, out, 0, vocabSize);
      length = total;
      if (cache != null) {
        cache.close();
      }
      if (kv) {
        cache = result;
      } else {
        result.close();
      }
    }

    /** Forgets the sequence (and its cache), keeping the buffers. */
    public void reset() {
      length = 0;
      if (cache != null) {
        cache.close();
        cache = null;
      }
    }

    /** Releases the cache. */
    @Override
    public void close() {
      reset();
    }
  }

  /** The tensors of one session run; closes the input tensors it made. */
  private final class Run implements AutoCloseable {
    private final Map<String, OnnxTensor> inputs = new HashMap<>();
    private final List<OnnxTensor> owned = new ArrayList<>();

    /**
     * Input tensors: ids and positions [batch, seq], mask [batch, total]; the past is taken from
     * {@code cache} (present.* of the previous run) or is empty when {@code cache} is null.
     */
    void inputs(long[] ids, long[] mask, long[] positions, int batch, int seq, int total,
        OrtSession.Result cache, int pastLength) {
      try {
        put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {batch, seq}));
        if (hasMask) {
          put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {batch, total}));
        }
        if (hasPositions) {
          put(POSITION_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {batch, seq}));
        }
        for (int i = 0; i < pastNames.length; i++) {
          if (cache == null) {
            put(pastNames[i], OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                new long[] {batch, pastDims[i][0], pastLength, pastDims[i][1]}));
          } else {
            OnnxValue v = cache.get(presentNames[i]).orElseThrow();
            inputs.put(pastNames[i], (OnnxTensor) v);
          }
        }
      } catch (OrtException e) {
        throw failure(e);
      }
    }

    private void put(String name, OnnxTensor t) {
      owned.add(t);
      inputs.put(name, t);
    }

    /** Runs with logits written into {@code logits} (pinned); other outputs as requested (null: all). */
    OrtSession.Result go(FloatBuffer logits, int batch, int seq, Set<String> requested) {
      try (OnnxTensor out = OnnxTensor.createTensor(env, logits.duplicate().clear().limit(batch * seq * vocabSize).slice(),
          new long[] {batch, seq, vocabSize})) {
        Set<String> wanted = requested != null ? new TreeSet<>(requested) : new TreeSet<>(session.getOutputNames());
        wanted.remove(LOGITS);
        return session.run(inputs, wanted, Map.of(LOGITS, out));
      } catch (OrtException e) {
        throw failure(e);
      }
    }

    @Override
    public void close() {
      for (OnnxTensor t : owned) {
        t.close();
      }
    }
  }

  private static FloatBuffer directFloats(long n) {
    if (n > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException("logits of " + n + " floats do not fit one buffer: use smaller batches");
    }
    return ByteBuffer.allocateDirect((int) n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private void checkLength(int len) {
    if (len < 1 || (maxContext > 0 && len > maxContext)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "context length is not in [1, %s]: %d (%s)",
          maxContext > 0 ? Integer.toString(maxContext) : "2147483647", len, path.getFileName()));
    }
  }

  private long checkId(int id) {
    if (id < 0 || id >= vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "token id is not in [0, %d): %d (%s)", vocabSize, id, path.getFileName()));
    }
    return id;
  }

  private IllegalStateException failure(OrtException e) {
    return new IllegalStateException(path + ": ONNX Runtime failed: " + e.getMessage(), e);
  }

  private IllegalArgumentException invalid(String format, Object... args) {
    return new IllegalArgumentException(path + ": " + String.format(Locale.ROOT, format, args));
  }

  /** The shape of a named tensor input or output, checked for element type and rank. */
  private long[] shape(Map<String, NodeInfo> nodes, String name, OnnxTensorType type, int rank, String kind) {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw invalid("no %s named %s (%s: %s)", kind.substring(0, kind.length() - 1), name, kind,
          new TreeSet<>(nodes.keySet()));
    }
    if (!(node.getInfo() instanceof TensorInfo t)) {
      throw invalid("%s is not a tensor: %s", name, node.getInfo());
    }
    if (t.onnxType != type) {
      throw invalid("%s has element type %s, not %s", name, t.onnxType, type);
    }
    long[] s = t.getShape();
    if (s.length != rank) {
      throw invalid("%s has rank %d, not %d: %s", name, s.length, rank, Arrays.toString(s));
    }
    return s;
  }
}
