package io.connmgr.actuate;

import io.connmgr.ConnectionManager;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ManagerStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the connection manager, with details always: counts, watermarks, the last round and
 * what held its candidates back. It is UP whatever the count: being above high water is a normal
 * state a manager works through, and must not take an application out of its load balancer. When
 * the count stayed above high water through the last rounds because candidates were held back, the
 * {@code stuckAboveHighWater} detail says so and why. A closed manager is OUT_OF_SERVICE.
 *
 * <p>Spring Boot keeps it out of the liveness group; add it to readiness with {@code
 * management.endpoint.health.group.readiness.include=readinessState,connmgr}.
 */
public class ConnmgrHealthIndicator implements HealthIndicator {

  /** How many of the manager's recent rounds ({@code stats().recentRounds()}) health looks at. */
  static final int ROUNDS_LOOKED_AT = 5;

  private final ConnectionManager manager;

  /** Health of {@code manager}, judged over its last rounds. */
  public ConnmgrHealthIndicator(ConnectionManager manager) {
    this.manager = manager;
  }

  @Override
  public Health health() {
    if (manager.isClosed()) {
      return Health.outOfService().withDetail("closed", true).build();
    }
    ManagerStats info = manager.stats();
    Health.Builder health =
        Health.up()
            .withDetail("connections", info.connectionCount())
            .withDetail("inbound", info.inbound())
            .withDetail("outbound", info.outbound())
            .withDetail("peers", info.peerCount())
            .withDetail("streams", info.streamCount())
            .withDetail("protectedPeers", info.protectedPeers())
            .withDetail("activeLeases", info.activeLeases())
            .withDetail("lowWater", info.lowWater())
            .withDetail("highWater", info.highWater())
            .withDetail("aboveHighWater", info.connectionCount() > info.highWater());
    Optional<TrimReport> last = info.lastReport();
    last.ifPresent(report -> health.withDetail("lastRound", describe(report)));
    int stuck = roundsStuckAboveHighWater(info);
    if (stuck > 0 && last.isPresent()) {
      Map<String, Integer> held = heldBack(last.get());
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("rounds", stuck);
      detail.put("heldBack", held);
      detail.put(
          "message",
          "connections stayed above high water "
              + info.highWater()
              + " through the last "
              + stuck
              + (stuck == 1 ? " round" : " rounds")
              + "; candidates held back: "
              + held.entrySet().stream()
                  .map(e -> e.getValue() + " " + e.getKey())
                  .collect(Collectors.joining(", ")));
      health.withDetail("stuckAboveHighWater", detail);
    }
    return health.build();
  }

  /**
   * How many of the newest rounds in a row ended above high water short of their target, while the
   * count is still above high water now.
   */
  private int roundsStuckAboveHighWater(ManagerStats info) {
    if (info.connectionCount() <= info.highWater()) {
      return 0;
    }
    int stuck = 0;
    List<TrimReport> newestFirst = manager.stats().recentRounds();
    for (TrimReport report :
        newestFirst.subList(0, Math.min(ROUNDS_LOOKED_AT, newestFirst.size()))) {
      int after = report.connectionsBefore() - report.evicted().size();
      if (report.reachedTarget() || after <= info.highWater()) {
        break;
      }
      stuck++;
    }
    return stuck;
  }

  private static Map<String, Object> describe(TrimReport report) {
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("trigger", report.trigger().name().toLowerCase(Locale.ROOT));
    round.put("startedAt", report.startedAt().toString());
    round.put("target", report.target());
    round.put("evicted", report.evicted().size());
    round.put("reachedTarget", report.reachedTarget());
    round.put("heldBack", heldBack(report));
    round.put("summary", report.summary());
    return round;
  }

  private static Map<String, Integer> heldBack(TrimReport report) {
    Map<String, Integer> held = new LinkedHashMap<>();
    report
        .skipped()
        .forEach(
            (reason, n) -> {
              if (n > 0) {
                held.put(reason.name().toLowerCase(Locale.ROOT), n);
              }
            });
    report.vetoes().forEach((veto, n) -> held.put("vetoed by " + veto, n));
    return held;
  }
}
