package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EmergencyTest {

  /** A memory signal the test fires by hand. */
  static final class FakePressure implements MemoryPressureSource {
    final AtomicReference<Runnable> callback = new AtomicReference<>();
    double threshold;
    boolean closed;

    @Override
    public Registration watch(double threshold, Runnable onPressure) {
      this.threshold = threshold;
      callback.set(onPressure);
      return () -> closed = true;
    }

    void fire() {
      callback.get().run();
    }
  }

  @Test
  void pressureRunsAnEmergencyRoundThatIgnoresGraceButNotProtectionLeasesOrVetoes() {
    FakePressure pressure = new FakePressure();
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(2)
                .highWater(100)
                .emergencyHeapThreshold(0.85)
                .memoryPressureSource(pressure)
                .scorerBudget(Duration.ofSeconds(5)))) {
      h.open("young-1");
      h.open("young-2");
      h.open("protected");
      h.open("leased").lease(Duration.ofSeconds(30), LeaseListener.releasing());
      h.open("vetoed");
      h.open("kept");
      h.cm.protect(PeerId.of("protected"), "relay");
      h.cm.registerVeto(
          "v", (c, r) -> c.peer().value().equals("vetoed") ? Verdict.veto("no") : Verdict.allow());
      h.cm.registerPeerScorer("k", p -> p.id().value().equals("kept") ? Score.KEEP : 0);
      assertThat(pressure.threshold).isEqualTo(0.85);

      pressure.fire();

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.closed.size() == 2);
      assertThat(h.closedPeers()).containsExactlyInAnyOrder("young-1", "young-2");
      assertThat(h.closed).allSatisfy(r -> assertThat(r.trigger()).isEqualTo(Trigger.EMERGENCY));
      assertThat(h.cm.stats().rounds().get(Trigger.EMERGENCY)).isEqualTo(1);
      TrimReport last = h.cm.stats().lastReport().orElseThrow();
      assertThat(last.trigger()).isEqualTo(Trigger.EMERGENCY);
      assertThat(last.skipped().get(SkipReason.GRACE)).isZero();
    }
    assertThat(pressure.closed).isTrue();
  }

  @Test
  void atMostOneEmergencyRoundPerSilencePeriod() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(100)
                .silencePeriod(Duration.ofSeconds(10)))) {
      h.open("a");
      h.open("b");
      h.open("c");
      assertThat(h.cm.emergencyTrim()).hasValueSatisfying(r -> assertThat(r.evicted()).hasSize(2));
      h.open("d");
      assertThat(h.cm.emergencyTrim()).isEmpty();
      h.clock.advance(Duration.ofSeconds(10));
      assertThat(h.cm.emergencyTrim()).hasValueSatisfying(r -> assertThat(r.evicted()).hasSize(1));
      assertThat(h.cm.stats().rounds().get(Trigger.EMERGENCY)).isEqualTo(2);
    }
  }

  @Test
  void theDefaultSourceWatchesARealHeapPool() {
    assertThat(HeapThresholdSource.isSupported()).isTrue();
    Registration r = new HeapThresholdSource().watch(0.99, () -> {});
    r.close();
    r.close();
  }
}
