package io.connmgr;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The figures issue 11 asks for: with a scorer that never returns, how long one {@code trim()} and
 * one {@code assess()} take, and how many threads are alive before and after ten of each. Run with
 * the number of connections and a deadline in seconds: {@code java -cp
 * connmgr-core/target/classes:connmgr-core/target/test-classes io.connmgr.HungScorerFigures 400
 * 120}. Uses the builder's default scorer budget.
 */
public final class HungScorerFigures {

  private HungScorerFigures() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    long deadlineSeconds = Long.parseLong(args[1]);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(deadlineSeconds));
              } catch (InterruptedException e) {
                return;
              }
              System.out.printf(
                  Locale.ROOT,
                  "n=%d: did not finish within %d s; threads alive %d%n",
                  n,
                  deadlineSeconds,
                  Thread.activeCount());
              System.exit(1);
            });
    watchdog.setDaemon(true);
    watchdog.start();
    CountDownLatch never = new CountDownLatch(1);
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(n / 2)
            .highWater(n / 2)
            .maintenanceInterval(Duration.ZERO)
            .gracePeriod(Duration.ZERO)
            .build()) {
      for (int i = 0; i < n; i++) {
        cm.connectionOpened(PeerId.of("p" + i), Direction.INBOUND, "x", why -> {});
      }
      cm.registerConnectionScorer(
          "hangs",
          c -> {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 0;
          });
      // every trim has the same work: nothing closes
      cm.registerVeto("keep-all", (c, round) -> Verdict.veto("figures"));
      int before = Thread.activeCount();
      long trim = millis(cm::trim);
      long assess = millis(cm.inspect()::assess);
      System.out.printf(
          Locale.ROOT, "n=%d: first trim() %d ms, first assess() %d ms%n", n, trim, assess);
      long trims = trim;
      long assesses = assess;
      for (int i = 1; i < 10; i++) {
        trims += millis(cm::trim);
        assesses += millis(cm.inspect()::assess);
      }
      System.out.printf(
          Locale.ROOT,
          "n=%d: ten trim() %d ms, ten assess() %d ms; threads alive " + "before %d, after %d%n",
          n,
          trims,
          assesses,
          before,
          Thread.activeCount());
    }
    System.exit(0);
  }

  private static long millis(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
