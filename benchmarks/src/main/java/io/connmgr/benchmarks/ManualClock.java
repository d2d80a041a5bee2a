package io.connmgr.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock the benchmark moves by hand, so one {@code maintain()} applies exactly one decay pass.
 */
public final class ManualClock implements InstantSource {

  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }
}
