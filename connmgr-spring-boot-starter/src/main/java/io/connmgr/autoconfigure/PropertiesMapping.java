package io.connmgr.autoconfigure;

import io.connmgr.ConnectionManager;
import io.connmgr.InvalidSettingsException;
import io.connmgr.PeerId;
import io.connmgr.Setting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link ConnmgrProperties} to a {@link ConnectionManager.Builder}, one builder call per
 * set property, and knows which property stands for each {@link Setting}, so the builder's
 * violations can be reported under property names. It checks only what the builder cannot take at
 * all: peer ids that are not ids, and unverified static peers.
 */
final class PropertiesMapping {

  private static final Map<Setting, String> PROPERTIES = properties();

  /**
   * The settings no property maps to, with how to set them: the starter has no text form for them.
   */
  static final Map<Setting, String> NOT_PROPERTIES =
      Collections.unmodifiableMap(
          new EnumMap<>(
              Map.of(
                  Setting.CLOCK,
                  "a ConnectionManagerBuilderCustomizer bean",
                  Setting.MEMORY_PRESSURE_SOURCE,
                  "a ConnectionManagerBuilderCustomizer bean",
                  Setting.ROUND_HISTORY_SIZE,
                  "a ConnectionManagerBuilderCustomizer bean")));

  private final ConnmgrProperties properties;

  PropertiesMapping(ConnmgrProperties properties) {
    this.properties = properties;
  }

  private static Map<Setting, String> properties() {
    Map<Setting, String> names = new EnumMap<>(Setting.class);
    names.put(Setting.LOW_WATER, "low-water");
    names.put(Setting.HIGH_WATER, "high-water");
    names.put(Setting.GRACE_PERIOD, "grace-period");
    names.put(Setting.SILENCE_PERIOD, "silence-period");
    names.put(Setting.MAINTENANCE_INTERVAL, "maintenance-interval");
    names.put(Setting.HISTORY_SIZE, "history-size");
    names.put(Setting.MAX_LEASE, "max-lease");
    names.put(Setting.MAX_LEASE_LIFETIME, "max-lease-lifetime");
    names.put(Setting.SCORER_BUDGET, "scorer-budget");
    names.put(Setting.CALLBACK_BUDGET, "callback-budget");
    names.put(Setting.SCORER_WEIGHT, "scorers.<name>.weight");
    names.put(Setting.MAX_CONNECTIONS, "admission.max-connections");
    names.put(Setting.MAX_CONNECTIONS_PER_PEER, "admission.max-connections-per-peer");
    names.put(Setting.MAX_INBOUND_SHARE, "admission.max-inbound-share");
    names.put(Setting.ALLOW, "admission.allow");
    names.put(Setting.DENY, "admission.deny");
    names.put(Setting.EMERGENCY_HEAP_THRESHOLD, "emergency.heap-threshold");
    names.put(Setting.CLOSE_ON_SHUTDOWN, "close-on-shutdown");
    names.put(Setting.EVICTION_MEMORY_SIZE, "eviction-memory.size");
    names.put(Setting.EVICTION_MEMORY_WINDOW, "eviction-memory.window");
    names.put(Setting.RECONNECT_BACKOFF, "eviction-memory.backoff");
    names.put(Setting.RESTORE_STATE_ON_RECONNECT, "eviction-memory.restore-state");
    return Collections.unmodifiableMap(names);
  }

  /**
   * The property that sets {@code setting}, such as {@code connmgr.low-water}, or {@code
   * connmgr.scorers.<name>.weight} for the scorer weights; empty for the settings of {@link
   * #NOT_PROPERTIES}.
   */
  static Optional<String> property(Setting setting) {
    return Optional.ofNullable(PROPERTIES.get(setting))
        .map(name -> ConnmgrProperties.PREFIX + "." + name);
  }

  /** The property a violation concerns, with the scorer's name for a scorer weight. */
  static String property(InvalidSettingsException.Violation violation) {
    String name =
        property(violation.setting())
            .orElse(violation.setting().builderName() + " (set by a customizer)");
    return violation.key() == null ? name : name.replace("<name>", violation.key());
  }

  /** The builder's violations under property names, each naming the other properties involved. */
  static List<InvalidConnmgrPropertiesException.Violation> asProperties(
      List<InvalidSettingsException.Violation> violations) {
    return violations.stream()
        .map(
            v ->
                new InvalidConnmgrPropertiesException.Violation(
                    property(v),
                    v.value(),
                    v.message()
                        + (v.related().isEmpty()
                            ? ""
                            : v.related().stream()
                                .map(s -> property(s).orElse(s.builderName()))
                                .collect(Collectors.joining(", ", " (see also ", ")")))))
        .toList();
  }

  /**
   * Records every set property on the builder; unset ones leave the builder's defaults. {@code
   * connmgr.close-on-shutdown} is the lifecycle's ({@link #closeOnShutdown()}): it closes the
   * connections when the context stops, while their transports can still say why.
   */
  ConnectionManager.Builder applyTo(ConnectionManager.Builder builder) {
    ifSet(properties.lowWater(), builder::lowWater);
    ifSet(properties.highWater(), builder::highWater);
    ifSet(properties.gracePeriod(), builder::gracePeriod);
    ifSet(properties.silencePeriod(), builder::silencePeriod);
    ifSet(properties.maintenanceInterval(), builder::maintenanceInterval);
    ifSet(properties.historySize(), builder::historySize);
    ifSet(properties.maxLease(), builder::maxLease);
    ifSet(properties.maxLeaseLifetime(), builder::maxLeaseLifetime);
    ifSet(properties.scorerBudget(), builder::scorerBudget);
    ifSet(properties.callbackBudget(), builder::callbackBudget);
    properties
        .scorers()
        .forEach(
            (name, scorer) ->
                ifSet(
                    scorer == null ? null : scorer.weight(),
                    weight -> builder.scorerWeight(name, weight)));
    ConnmgrProperties.Admission admission = properties.admission();
    ifSet(admission.maxConnections(), builder::maxConnections);
    ifSet(admission.maxConnectionsPerPeer(), builder::maxConnectionsPerPeer);
    ifSet(admission.maxInboundShare(), builder::maxInboundShare);
    builder.allow(validIds(admission.allow()));
    builder.deny(validIds(admission.deny()));
    ifSet(properties.emergency().heapThreshold(), builder::emergencyHeapThreshold);
    ConnmgrProperties.EvictionMemory memory = properties.evictionMemory();
    ifSet(memory.enabled() ? memory.size() : Integer.valueOf(0), builder::evictionMemorySize);
    ifSet(memory.window(), builder::evictionMemoryWindow);
    ifSet(memory.backoff(), builder::reconnectBackoff);
    ifSet(memory.restoreState(), builder::restoreStateOnReconnect);
    return builder;
  }

  /**
   * What the builder cannot even record: peer ids that are not valid ids, and static peers that are
   * unverified (pinning refuses them; static peers are no builder setting).
   */
  List<InvalidConnmgrPropertiesException.Violation> unrecordable() {
    List<InvalidConnmgrPropertiesException.Violation> found = new ArrayList<>();
    checkIds(found, "static-peers", properties.staticPeers(), true);
    checkIds(found, "admission.allow", properties.admission().allow(), false);
    checkIds(found, "admission.deny", properties.admission().deny(), false);
    return found;
  }

  /** Whether the lifecycle closes every connection on shutdown. */
  boolean closeOnShutdown() {
    return orDefault(properties.closeOnShutdown(), Setting.CLOSE_ON_SHUTDOWN);
  }

  private static <T> T orDefault(@Nullable T value, Setting setting) {
    @SuppressWarnings("unchecked")
    T fallback = (T) setting.defaultValue().orElseThrow();
    return value == null ? fallback : value;
  }

  private static <T> void ifSet(@Nullable T value, Consumer<T> set) {
    if (value != null) {
      set.accept(value);
    }
  }

  private static PeerId[] validIds(List<String> ids) {
    List<PeerId> valid = new ArrayList<>();
    for (String id : ids) {
      try {
        valid.add(PeerId.of(id));
      } catch (IllegalArgumentException e) {
        // reported by unrecordable()
      }
    }
    return valid.toArray(PeerId[]::new);
  }

  private static void checkIds(
      List<InvalidConnmgrPropertiesException.Violation> found,
      String property,
      List<String> ids,
      boolean verifiedOnly) {
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      String name = ConnmgrProperties.PREFIX + "." + property + "[" + i + "]";
      try {
        PeerId peer = PeerId.of(id);
        if (verifiedOnly && !peer.isVerified()) {
          found.add(
              new InvalidConnmgrPropertiesException.Violation(
                  name,
                  id,
                  "is an unverified"
                      + " id (it starts with "
                      + PeerId.UNVERIFIED_PREFIX
                      + "): a client could claim it,"
                      + " so it can never be static; name verified ids only"));
        }
      } catch (IllegalArgumentException e) {
        found.add(
            new InvalidConnmgrPropertiesException.Violation(
                name, id, "is not a valid peer id: " + e.getMessage()));
      }
    }
  }
}
