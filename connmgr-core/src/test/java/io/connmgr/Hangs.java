package io.connmgr;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Callbacks that hang until the test lets them go, and how long a call into the manager took. */
final class Hangs {

  private final CountDownLatch release = new CountDownLatch(1);

  /** Blocks the calling callback until {@link #letGo}. */
  void hang() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets every hung callback return. */
  void letGo() {
    release.countDown();
  }

  /** How long {@code r} took, in milliseconds. */
  static long millis(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
