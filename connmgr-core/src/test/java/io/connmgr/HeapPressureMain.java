package io.connmgr;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a forked JVM with a small heap by {@link HeapPressureForkTest}: opens connections that
 * each hold a 256 KiB buffer, as a transport's socket buffers would, until heap pressure makes the
 * manager run an emergency round, whose closers free the buffers. Prints one result line.
 */
public final class HeapPressureMain {

  private HeapPressureMain() {}

  public static void main(String[] args) throws Exception {
    Map<Long, byte[]> buffers = new ConcurrentHashMap<>();
    CountDownLatch fired = new CountDownLatch(1);
    TrimReport[] seen = new TrimReport[1];
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(20)
            .highWater(100_000)
            .gracePeriod(Duration.ofHours(1))
            .maintenanceInterval(Duration.ZERO)
            .emergencyHeapThreshold(0.5)
            .build()) {
      cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRound(TrimReport report) {
              if (report.trigger() == Trigger.EMERGENCY) {
                seen[0] = report;
                fired.countDown();
              }
            }
          });
      long started = System.nanoTime();
      for (int i = 0; fired.getCount() > 0 && i < 1_000_000; i++) {
        ManagedConnection c =
            cm.connectionOpened(
                PeerId.of("peer-" + i),
                Direction.INBOUND,
                "127.0.0.1:" + (10_000 + i % 50_000),
                why -> buffers.remove(why.connectionId()));
        buffers.put(c.id(), new byte[256 * 1024]);
        fired.await(2, TimeUnit.MILLISECONDS); // connections arrive over time, not all at once
      }
      if (!fired.await(30, TimeUnit.SECONDS)) {
        System.out.println("NO-EMERGENCY connections=" + cm.connectionCount());
        System.exit(2);
      }
      TrimReport r = seen[0];
      System.out.println(
          "EMERGENCY before="
              + r.connectionsBefore()
              + " target="
              + r.target()
              + " freed="
              + r.evicted().size()
              + " after="
              + cm.connectionCount()
              + " roundMillis="
              + r.took().toMillis()
              + " secondsToPressure="
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
              + " buffersLeft="
              + buffers.size());
    }
  }
}
