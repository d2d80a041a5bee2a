package io.connmgr;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A registered scorer and what its calls cost so far (cumulative over the manager's life).
 *
 * @param name the name it was registered under
 * @param kind what it rates
 * @param protocol the protocol of a stream scorer; null for the others
 * @param weight the weight its scores are multiplied by
 * @param calls calls made
 * @param totalTime time spent in those calls
 * @param maxTime the longest call
 * @param errors calls that threw
 * @param timeouts calls that ran past the budget
 * @param clamped results outside the range that were clamped
 */
public record ScorerInfo(
    String name,
    Kind kind,
    @Nullable String protocol,
    double weight,
    long calls,
    Duration totalTime,
    Duration maxTime,
    long errors,
    long timeouts,
    long clamped) {

  /** What a scorer rates. */
  public enum Kind {
    PEER,
    CONNECTION,
    STREAM
  }

  /** The mean call time; zero before the first call. */
  public Duration meanTime() {
    return calls == 0 ? Duration.ZERO : totalTime.dividedBy(calls);
  }
}
