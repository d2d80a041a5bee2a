package io.connmgr;

/** How a scorer call went wrong; the call counts as 0 (or the clamped value) for its round. */
public enum ScorerFailure {
  /** It threw. */
  ERROR,
  /** It ran past the scorer budget and was not waited for. */
  TIMEOUT,
  /** It returned a value outside [0, 1000] other than {@link Score#KEEP}. */
  CLAMPED
}
