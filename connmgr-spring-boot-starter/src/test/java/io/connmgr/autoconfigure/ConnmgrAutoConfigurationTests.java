package io.connmgr.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionRefusedException;
import io.connmgr.ConnectionScorer;
import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.PeerScorer;
import io.connmgr.Setting;
import io.connmgr.Trigger;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.inspect.RecentEviction;
import io.connmgr.inspect.ScorerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ConnmgrAutoConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ConnmgrAutoConfiguration.class));

  @Test
  void createsAManagerWithTheDefaults() {
    runner.run(
        context -> {
          assertThat(context)
              .hasSingleBean(ConnectionManager.class)
              .hasSingleBean(ConnectionManagerLifecycle.class)
              .hasSingleBean(CallbackBeans.class);
          ManagerStats info = context.getBean(ConnectionManager.class).stats();
          assertThat(info.lowWater()).isEqualTo(Setting.LOW_WATER.defaultValue().orElseThrow());
          assertThat(info.highWater()).isEqualTo(Setting.HIGH_WATER.defaultValue().orElseThrow());
          assertThat(info.gracePeriod())
              .isEqualTo(Setting.GRACE_PERIOD.defaultValue().orElseThrow());
          assertThat(info.silencePeriod())
              .isEqualTo(Setting.SILENCE_PERIOD.defaultValue().orElseThrow());
          ConnmgrProperties properties = context.getBean(ConnmgrProperties.class);
          assertThat(properties.lowWater()).as("unset: the builder's default").isNull();
          assertThat(properties.maintenanceInterval()).isNull();
          assertThat(properties.closeOnShutdown()).isNull();
          assertThat(properties.staticPeers()).isEmpty();
          assertThat(properties.scorers()).isEmpty();
          assertThat(properties.admission().maxConnections()).isNull();
          assertThat(properties.admission().allow()).isEmpty();
          assertThat(properties.emergency().heapThreshold()).isNull();
          assertThat(context.getBean(ConnectionManagerLifecycle.class).isRunning()).isTrue();
          assertThat(context.getBean(TaskSchedulerUpkeep.class).ownsItsScheduler())
              .as("no taskScheduler bean without @EnableScheduling: the starter builds one")
              .isTrue();
        });
  }

  @Test
  void theEvictionMemoryIsOnByDefaultWithAThirtySecondBackoff() {
    runner
        .withPropertyValues(
            "connmgr.low-water=1", "connmgr.high-water=1", "connmgr.grace-period=0s")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(context.getBean(ConnmgrProperties.class).evictionMemory().enabled())
                  .isTrue();
              Connections connections = evictOneOfTwo(cm);
              RecentEviction recent =
                  cm.inspect().recentEviction(PeerId.of("churner")).orElseThrow();
              assertThat(recent.backoff()).isEqualTo(Duration.ofSeconds(30));
              assertThat(recent.forgottenIn()).isLessThanOrEqualTo(Duration.ofMinutes(10));
              assertThat(connections.closedPeers()).containsExactly("churner");
            });
  }

  @Test
  void theEvictionMemoryBindsItsSettingsAndCanBeTurnedOff() {
    runner
        .withPropertyValues(
            "connmgr.low-water=1",
            "connmgr.high-water=1",
            "connmgr.grace-period=0s",
            "connmgr.eviction-memory.window=2m",
            "connmgr.eviction-memory.backoff=5s",
            "connmgr.eviction-memory.restore-state=true")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              cm.tagPeer(PeerId.of("churner"), "kad", 1);
              Connections connections = evictOneOfTwo(cm);
              assertThat(cm.inspect().recentEviction(PeerId.of("churner")).orElseThrow().backoff())
                  .isEqualTo(Duration.ofSeconds(5));
              assertThat(
                      cm.inspect().recentEviction(PeerId.of("churner")).orElseThrow().forgottenIn())
                  .isLessThanOrEqualTo(Duration.ofMinutes(2));
              connections.open("churner", Direction.OUTBOUND);
              assertThat(cm.inspect().tagInfo(PeerId.of("churner")).orElseThrow().tags())
                  .containsEntry("kad", 1);
            });
    runner
        .withPropertyValues(
            "connmgr.low-water=1",
            "connmgr.high-water=1",
            "connmgr.grace-period=0s",
            "connmgr.eviction-memory.enabled=false")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              evictOneOfTwo(cm);
              assertThat(cm.inspect().recentEviction(PeerId.of("churner"))).isEmpty();
              assertThat(cm.inspect().recentlyEvictedPeers()).isZero();
            });
  }

  /** Opens "churner" and a more valuable peer, and trims one away: the churner. */
  private static Connections evictOneOfTwo(ConnectionManager cm) {
    Connections connections = new Connections(cm);
    connections.open("churner");
    connections.open("valued");
    cm.tagPeer(PeerId.of("valued"), "useful", 100);
    cm.trim();
    return connections;
  }

  @Test
  void bindsWatermarksAndPeriods() {
    runner
        .withPropertyValues(
            "connmgr.low-water=10",
            "connmgr.high-water=20",
            "connmgr.grace-period=3s",
            "connmgr.silence-period=500ms")
        .run(
            context -> {
              ManagerStats info = context.getBean(ConnectionManager.class).stats();
              assertThat(info.lowWater()).isEqualTo(10);
              assertThat(info.highWater()).isEqualTo(20);
              assertThat(info.gracePeriod()).isEqualTo(Duration.ofSeconds(3));
              assertThat(info.silencePeriod()).isEqualTo(Duration.ofMillis(500));
            });
  }

  @Test
  void maxLeaseCapsALeaseAndMaxLeaseLifetimeCapsItsExtensions() {
    runner
        .withPropertyValues("connmgr.max-lease=30s", "connmgr.max-lease-lifetime=45s")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              ManagedConnection c = new Connections(cm).open("leaser");
              var lease = c.lease(Duration.ofHours(1), LeaseListener.releasing());
              assertThat(Duration.between(lease.startedAt(), lease.expiresAt()))
                  .isEqualTo(Duration.ofSeconds(30));
              assertThat(lease.extend(Duration.ofSeconds(30))).isFalse();
              assertThat(lease.extend(Duration.ofSeconds(10))).isTrue();
            });
  }

  @Test
  void scorerBudgetBoundsASlowScorer() {
    CountDownLatch never = new CountDownLatch(1);
    runner
        .withPropertyValues("connmgr.scorer-budget=20ms", "connmgr.grace-period=0s")
        .withBean(
            "stalling",
            PeerScorer.class,
            () ->
                peer -> {
                  try {
                    never.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return 0;
                })
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              new Connections(cm).open("slow");
              try {
                cm.inspect().assess();
              } finally {
                never.countDown();
              }
              ScorerInfo info = cm.inspect().scorers().get(0);
              assertThat(info.name()).isEqualTo("stalling");
              assertThat(info.timeouts()).isEqualTo(1);
            });
  }

  @Test
  void historySizeBoundsTheEvictionHistory() {
    runner
        .withPropertyValues("connmgr.history-size=2")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              Connections connections = new Connections(cm);
              for (String peer : new String[] {"a", "b", "c"}) {
                assertThat(cm.evict(connections.open(peer).id(), "test")).isTrue();
              }
              assertThat(cm.inspect().evictionHistory())
                  .hasSize(2)
                  .extracting(r -> r.peer().value())
                  .containsExactly("c", "b");
            });
  }

  @Test
  void scorerWeightsApplyByBeanName() {
    runner
        .withPropertyValues(
            "connmgr.scorers.latency.weight=3",
            "connmgr.grace-period=0s",
            "connmgr.scorer-budget=5s")
        .withBean("latency", PeerScorer.class, () -> peer -> 10)
        .withBean("relay", ConnectionScorer.class, () -> connection -> 7)
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              ManagedConnection c = new Connections(cm).open("weighted");
              var score =
                  cm.inspect().assess().connections().stream()
                      .filter(s -> s.connectionId() == c.id())
                      .findFirst()
                      .orElseThrow();
              assertThat(score.breakdown())
                  .containsEntry("scorer:latency", 30.0)
                  .containsEntry("scorer:relay", 7.0);
              assertThat(score.score()).isEqualTo(37.0);
              assertThat(cm.inspect().scorers())
                  .extracting(ScorerInfo::name, ScorerInfo::weight)
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple("latency", 3.0),
                      org.assertj.core.groups.Tuple.tuple("relay", 1.0));
            });
  }

  @Test
  void theCallbackBudgetBindsAndMustBePositive() {
    runner
        .withPropertyValues("connmgr.callback-budget=250ms")
        .run(context -> assertThat(context).hasNotFailed());
    runner
        .withPropertyValues("connmgr.callback-budget=0s")
        .run(
            context ->
                assertThat(
                        new ConnmgrPropertiesFailureAnalyzer(null)
                            .analyze(context.getStartupFailure())
                            .getDescription())
                    .contains("Property: connmgr.callback-budget"));
  }

  @Test
  void staticPeersArePinnedAtStart() {
    runner
        .withPropertyValues("connmgr.static-peers=bootstrap-1,bootstrap-2")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.isProtected(PeerId.of("bootstrap-1"), ConnectionManager.PIN_TAG))
                  .isTrue();
              assertThat(cm.isProtected(PeerId.of("bootstrap-2"), ConnectionManager.PIN_TAG))
                  .isTrue();
              assertThat(cm.isProtected(PeerId.of("other"), null)).isFalse();
            });
  }

  @Test
  void staticPeersSurviveATrim() {
    runner
        .withPropertyValues(
            "connmgr.static-peers=bootstrap",
            "connmgr.low-water=1",
            "connmgr.high-water=2",
            "connmgr.grace-period=0s")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              Connections connections = new Connections(cm);
              connections.open("bootstrap");
              connections.open("x");
              connections.open("y");
              cm.trim();
              assertThat(connections.closedPeers()).containsExactlyInAnyOrder("x", "y");
              assertThat(cm.connectionCount()).isEqualTo(1);
            });
  }

  @Test
  void admissionLimitsRefuseNewConnections() {
    runner
        .withPropertyValues(
            "connmgr.high-water=3",
            "connmgr.low-water=2",
            "connmgr.admission.max-connections=4",
            "connmgr.admission.max-connections-per-peer=1",
            "connmgr.admission.allow=friend",
            "connmgr.admission.deny=troll")
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              Connections connections = new Connections(cm);
              connections.open("a");
              assertThatExceptionOfType(ConnectionRefusedException.class)
                  .isThrownBy(() -> connections.open("a"))
                  .satisfies(e -> assertThat(e.limit()).isEqualTo(AdmissionLimit.MAX_PER_PEER));
              assertThatExceptionOfType(ConnectionRefusedException.class)
                  .isThrownBy(() -> connections.open("troll"))
                  .satisfies(e -> assertThat(e.limit()).isEqualTo(AdmissionLimit.DENIED));
              connections.open("friend");
              connections.open("friend");
              connections.open("b");
              assertThatExceptionOfType(ConnectionRefusedException.class)
                  .isThrownBy(() -> connections.open("c"))
                  .satisfies(e -> assertThat(e.limit()).isEqualTo(AdmissionLimit.MAX_CONNECTIONS));
              assertThat(cm.connectionCount()).isEqualTo(4);
              assertThat(cm.stats().refusals())
                  .containsEntry(AdmissionLimit.MAX_PER_PEER, 1L)
                  .containsEntry(AdmissionLimit.DENIED, 1L);
            });
  }

  @Test
  void inboundShareCapsInboundConnections() {
    runner
        .withPropertyValues(
            "connmgr.high-water=4",
            "connmgr.low-water=2",
            "connmgr.admission.max-inbound-share=0.5")
        .run(
            context -> {
              Connections connections = new Connections(context.getBean(ConnectionManager.class));
              connections.open("a");
              connections.open("b");
              assertThatExceptionOfType(ConnectionRefusedException.class)
                  .isThrownBy(() -> connections.open("c"))
                  .satisfies(e -> assertThat(e.limit()).isEqualTo(AdmissionLimit.INBOUND_SHARE));
              connections.open("d", Direction.OUTBOUND);
            });
  }

  @Test
  void anEmergencyHeapThresholdIsAccepted() {
    runner
        .withPropertyValues("connmgr.emergency.heap-threshold=0.9")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(ConnmgrProperties.class).emergency().heapThreshold())
                  .isEqualTo(0.9);
            });
  }

  @Test
  void upkeepStopsWithTheContextAndShutdownClosesNothingByDefault() {
    AtomicReference<ConnectionManager> manager = new AtomicReference<>();
    AtomicReference<ConnectionManagerLifecycle> lifecycle = new AtomicReference<>();
    AtomicReference<Connections> connections = new AtomicReference<>();
    runner.run(
        context -> {
          manager.set(context.getBean(ConnectionManager.class));
          lifecycle.set(context.getBean(ConnectionManagerLifecycle.class));
          connections.set(new Connections(manager.get()));
          connections.get().open("a");
          connections.get().open("b", Direction.OUTBOUND);
        });
    assertThat(lifecycle.get().isRunning()).isFalse();
    assertThat(manager.get().isClosed()).isTrue();
    assertThat(connections.get().closed()).isEmpty();
    assertThat(manager.get().connectionCount()).isEqualTo(2);
  }

  @Test
  void closeOnShutdownClosesEveryConnectionWithAShutdownRecord() {
    AtomicReference<Connections> connections = new AtomicReference<>();
    runner
        .withPropertyValues("connmgr.close-on-shutdown=true", "connmgr.static-peers=pinned")
        .run(
            context -> {
              connections.set(new Connections(context.getBean(ConnectionManager.class)));
              connections.get().open("pinned");
              connections.get().open("young");
            });
    assertThat(connections.get().closedPeers()).containsExactlyInAnyOrder("pinned", "young");
    assertThat(connections.get().closed())
        .allSatisfy(
            r -> {
              assertThat(r.trigger()).isEqualTo(Trigger.SHUTDOWN);
              assertThat(r.reason()).isEqualTo(ConnectionManagerLifecycle.SHUTDOWN_REASON);
            });
  }

  @Test
  void anApplicationsOwnManagerWins() {
    runner
        .withUserConfiguration(OwnManager.class)
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(ConnectionManager.class)
                  .doesNotHaveBean(ConnectionManagerLifecycle.class)
                  .hasSingleBean(CallbackBeans.class);
              assertThat(context.getBean(ConnectionManager.class))
                  .isSameAs(context.getBean("ownManager"));
              assertThat(context.getBean(ConnectionManager.class).stats().highWater())
                  .isEqualTo(42);
            });
  }

  @Test
  void scorerBeansAreRegisteredWithAnApplicationsOwnManager() {
    runner
        .withUserConfiguration(OwnManager.class)
        .withBean("latency", PeerScorer.class, () -> peer -> 1)
        .run(
            context ->
                assertThat(context.getBean(ConnectionManager.class).inspect().scorers())
                    .extracting(ScorerInfo::name)
                    .containsExactly("latency"));
  }

  @Test
  void customizersSeeTheBuilderAfterTheProperties() {
    Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
    runner
        .withPropertyValues("connmgr.high-water=700")
        .withBean(
            ConnectionManagerBuilderCustomizer.class, () -> builder -> builder.clock(() -> fixed))
        .run(
            context -> {
              ConnectionManager cm = context.getBean(ConnectionManager.class);
              assertThat(cm.inspect().now()).isEqualTo(fixed);
              assertThat(cm.stats().highWater()).isEqualTo(700);
            });
  }

  @Test
  void enabledFalseTurnsItAllOff() {
    runner
        .withPropertyValues("connmgr.enabled=false")
        .withBean("latency", PeerScorer.class, () -> peer -> 1)
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(ConnectionManager.class)
                    .doesNotHaveBean(ConnectionManagerLifecycle.class)
                    .doesNotHaveBean(CallbackBeans.class)
                    .doesNotHaveBean(ConnmgrProperties.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnManager {

    @Bean
    ConnectionManager ownManager() {
      return ConnectionManager.builder()
          .lowWater(21)
          .highWater(42)
          .maintenanceInterval(Duration.ZERO)
          .build();
    }
  }
}
