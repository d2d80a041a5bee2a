package io.connmgr.metrics;

import io.connmgr.Registration;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.OperatorAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Counts operator actions from the {@link AuditTrail}: {@value #METER}{@code {action, source}},
 * every action and source registered at zero so a dashboard sees the series before the first
 * action. Refused actions count too: the meter says what operators tried.
 */
public final class OperatorActionMetrics implements MeterBinder, AutoCloseable {

  /** The counter's name. */
  public static final String METER = "connmgr.operator.actions";

  private final AuditTrail trail;
  private final List<Registration> subscriptions = new ArrayList<>();

  /** Metrics for the actions on {@code trail}. */
  public OperatorActionMetrics(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Map<OperatorAction, Map<ActionSource, Counter>> counters = new EnumMap<>(OperatorAction.class);
    for (OperatorAction action : OperatorAction.values()) {
      Map<ActionSource, Counter> bySource = new EnumMap<>(ActionSource.class);
      for (ActionSource source : ActionSource.values()) {
        bySource.put(
            source,
            Counter.builder(METER)
                .description("Operator actions (pin, unpin, evict, trim) by where they came from")
                .tag("action", lower(action))
                .tag("source", lower(source))
                .register(registry));
      }
      counters.put(action, bySource);
    }
    synchronized (subscriptions) {
      subscriptions.add(
          trail.subscribe(entry -> counter(counters, entry.action(), entry.source()).increment()));
    }
  }

  /** The counter registered above for each action and source. */
  private static Counter counter(
      Map<OperatorAction, Map<ActionSource, Counter>> counters,
      OperatorAction action,
      ActionSource source) {
    Map<ActionSource, Counter> bySource =
        Objects.requireNonNull(counters.get(action), "a counter for every action");
    return Objects.requireNonNull(bySource.get(source), "a counter for every source");
  }

  /** Stops counting. */
  @Override
  public void close() {
    synchronized (subscriptions) {
      subscriptions.forEach(Registration::close);
      subscriptions.clear();
    }
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
