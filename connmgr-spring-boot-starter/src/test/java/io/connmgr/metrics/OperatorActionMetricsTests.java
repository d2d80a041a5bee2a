package io.connmgr.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditResult;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorAction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class OperatorActionMetricsTests {

  @Test
  void countsEachActionBySourceFromZero() {
    AuditTrail trail = new AuditTrail(10, Clock.systemUTC());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorActionMetrics metrics = new OperatorActionMetrics(trail);
    metrics.bindTo(registry);

    assertThat(registry.get(OperatorActionMetrics.METER).counters())
        .hasSize(12)
        .allSatisfy(c -> assertThat(c.count()).isZero());
    trail.record(
        new Operator("ops", ActionSource.CONSOLE), OperatorAction.EVICT, "x", AuditResult.DONE, "");
    trail.record(
        new Operator("ops", ActionSource.CONSOLE),
        OperatorAction.EVICT,
        "y",
        AuditResult.REFUSED,
        "");
    trail.record(
        new Operator("bot", ActionSource.ACTUATOR), OperatorAction.TRIM, "m", AuditResult.DONE, "");

    assertThat(
            registry
                .get(OperatorActionMetrics.METER)
                .tag("action", "evict")
                .tag("source", "console")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(OperatorActionMetrics.METER)
                .tag("action", "trim")
                .tag("source", "actuator")
                .counter()
                .count())
        .isEqualTo(1);

    metrics.close();
    trail.record(
        new Operator("bot", ActionSource.ACTUATOR), OperatorAction.TRIM, "m", AuditResult.DONE, "");
    assertThat(
            registry
                .get(OperatorActionMetrics.METER)
                .tag("action", "trim")
                .tag("source", "actuator")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
