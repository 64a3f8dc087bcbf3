package dev.radiomark;

/**
 * Per-sequence state of a {@link Sampler}: the randomness source, scratch buffers and, for
 * schemes that mask repeated contexts, the windows already used in this sequence. Create one per
 * sequence with {@link Sampler#newState}; it is not thread-safe, and it is only valid with the
 * sampler that created it (or another sampler of the same vocabulary size). Buffers grow to the
 * largest candidate set seen and are then reused: no allocation per token in the steady state.
 */
public interface DecodeState {
  /** Forgets the windows of the previous sequence, keeping buffers and randomness source. */
  void reset();
}
