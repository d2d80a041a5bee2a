package io.connmgr;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A registered scorer and what its calls cost so far (cumulative over the manager's life), the
 * calls of rounds apart from those of assessments ({@link ConnectionManager#assess()}, which
 * every console and actuator view runs).
 *
 * @param name the name it was registered under
 * @param kind what it rates
 * @param protocol the protocol of a stream scorer; null for the others
 * @param weight the weight its scores are multiplied by
 * @param calls calls made by rounds
 * @param totalTime time spent in those calls
 * @param maxTime the longest of those calls
 * @param errors calls that threw (rounds and assessments)
 * @param timeouts calls that ran past the budget (rounds and assessments)
 * @param clamped results outside the range that were clamped (rounds and assessments)
 * @param assessCalls calls made by assessments
 * @param assessTime time spent in those calls
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
    long clamped,
    long assessCalls,
    Duration assessTime) {

  /** What a scorer rates. */
  public enum Kind {
    PEER,
    CONNECTION,
    STREAM
  }

  /** The mean time of a round's call; zero before the first. */
  public Duration meanTime() {
    return calls == 0 ? Duration.ZERO : totalTime.dividedBy(calls);
  }

  /** The mean time of an assessment's call; zero before the first. */
  public Duration assessMeanTime() {
    return assessCalls == 0 ? Duration.ZERO : assessTime.dividedBy(assessCalls);
  }
}
