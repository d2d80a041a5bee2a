package io.connmgr;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/**
 * Listeners hear events on callback threads, after the call that caused them returned: tests of
 * what a listener heard wait for it, up to a bound that a loaded machine never reaches.
 */
final class Eventually {

  private Eventually() {}

  static void eventually(ThrowingRunnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(assertion);
  }
}
