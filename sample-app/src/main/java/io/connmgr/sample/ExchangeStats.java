package io.connmgr.sample;

import io.connmgr.AttachmentKey;
import io.connmgr.Score;

/**
 * What bitswap records on each of its streams, as typed state: the protocol writes it under {@code
 * stream.update(ExchangeStats.KEY, ...)} (exclusive), the {@link BitswapScorer} reads it when a
 * round asks. Fields are volatile so a scorer on another thread sees fresh values.
 */
public final class ExchangeStats {

  /** The stream slot, created empty the first time a stream is asked for it. */
  public static final AttachmentKey<ExchangeStats> KEY =
      AttachmentKey.of("bitswap", ExchangeStats::new);

  volatile long bytesServed;
  volatile int blocks;
  volatile int errors;

  /** Bytes this stream delivered. */
  public long bytesServed() {
    return bytesServed;
  }

  /** Blocks delivered whole. */
  public int blocks() {
    return blocks;
  }

  /** Transfers that failed or were given up. */
  public int errors() {
    return errors;
  }

  /** 50 a block plus 1 per 16 KiB, minus 100 per error, in [0, 1000]. */
  public int usefulness() {
    long score = 50L * blocks + bytesServed / 16_384 - 100L * errors;
    return (int) Math.max(Score.MIN, Math.min(Score.MAX, score));
  }

  @Override
  public String toString() {
    return "blocks=" + blocks + " bytes=" + bytesServed + " errors=" + errors;
  }
}
