package io.connmgr.inspect;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A registered scorer and what its calls cost so far (cumulative over the manager's life).
 *
 * @param name the name it was registered under
 * @param kind what it rates
 * @param protocol the protocol of a stream scorer; null for the others
 * @param weight the weight its scores are multiplied by
 * @param calls calls made by rounds
 * @param totalTime time spent in those calls
 * @param maxTime the longest of those calls
 * @param errors calls that threw
 * @param timeouts calls that ran past the budget
 * @param clamped results outside the range that were clamped
 * @param assessCalls calls made by {@link Inspection#assess()} (what the console and the actuator
 *     show), kept apart so that refreshing a view does not look like round cost
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
