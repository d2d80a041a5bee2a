package io.connmgr.console;

import io.connmgr.autoconfigure.InvalidConnmgrPropertiesException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's {@code connmgr.console.*} properties: where it lives, who may see and act, and how
 * fresh its data is.
 */
@ConfigurationProperties("connmgr.console")
public class ConsoleProperties {

  /** Whether to serve the console at all. */
  private boolean enabled = true;

  /** The path the console is served under. */
  private String path = "/connmgr";

  /** Removes every action: the action controller is not even registered. */
  private boolean readOnly;

  /** The role (without the ROLE_ prefix) needed for actions when Spring Security is present. */
  private String role = "CONNMGR_ADMIN";

  /** The role (without the ROLE_ prefix) that may view but not act, with Spring Security. */
  private String viewerRole = "CONNMGR_VIEWER";

  /**
   * Enables actions when Spring Security is absent; they are then protected by a session-bound
   * token only, so put the console behind something that authenticates.
   */
  private boolean actionsEnabled;

  /** How often the pages refresh their live parts. */
  private Duration refreshInterval = Duration.ofSeconds(2);

  /** How long one snapshot and assessment serve page requests before being taken again. */
  private Duration cacheTtl = Duration.ofSeconds(1);

  /** How often the connection count is sampled for the chart. */
  private Duration sampleInterval = Duration.ofSeconds(5);

  /** The span of the connection-count chart. */
  private Duration chartWindow = Duration.ofHours(1);

  /**
   * How many eviction records the console keeps for its evictions page, in each of two rings:
   * operators' evictions and rounds, and automatic ones.
   */
  /** The most eviction records kept in each ring ({@code connmgr.console.evictions-kept}). */
  private static final int MAX_EVICTIONS_KEPT = 100_000;

  private int evictionsKept = 10_000;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  public void setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public String getViewerRole() {
    return viewerRole;
  }

  public void setViewerRole(String viewerRole) {
    this.viewerRole = viewerRole;
  }

  public boolean isActionsEnabled() {
    return actionsEnabled;
  }

  public void setActionsEnabled(boolean actionsEnabled) {
    this.actionsEnabled = actionsEnabled;
  }

  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  public void setRefreshInterval(Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }

  public Duration getCacheTtl() {
    return cacheTtl;
  }

  public void setCacheTtl(Duration cacheTtl) {
    this.cacheTtl = cacheTtl;
  }

  public Duration getSampleInterval() {
    return sampleInterval;
  }

  public void setSampleInterval(Duration sampleInterval) {
    this.sampleInterval = sampleInterval;
  }

  public Duration getChartWindow() {
    return chartWindow;
  }

  public void setChartWindow(Duration chartWindow) {
    this.chartWindow = chartWindow;
  }

  public int getEvictionsKept() {
    return evictionsKept;
  }

  public void setEvictionsKept(int evictionsKept) {
    this.evictionsKept = evictionsKept;
  }

  /**
   * Checks every duration and count against its allowed range and reports all that are outside it
   * at once, through the {@code connmgr.*} properties failure analysis.
   *
   * @throws InvalidConnmgrPropertiesException naming each property, its value and its range
   */
  void check() {
    List<InvalidConnmgrPropertiesException.Violation> violations = new ArrayList<>();
    within(violations, "cache-ttl", cacheTtl, Duration.ZERO, Duration.ofHours(1));
    within(
        violations,
        "refresh-interval",
        refreshInterval,
        Duration.ofMillis(100),
        Duration.ofHours(1));
    within(violations, "chart-window", chartWindow, Duration.ofSeconds(1), Duration.ofDays(7));
    within(
        violations,
        "sample-interval",
        sampleInterval,
        Duration.ofMillis(1),
        chartWindow.compareTo(Duration.ofMillis(1)) > 0 ? chartWindow : Duration.ofDays(7));
    if (evictionsKept < 1 || evictionsKept > MAX_EVICTIONS_KEPT) {
      violations.add(
          new InvalidConnmgrPropertiesException.Violation(
              "connmgr.console.evictions-kept",
              String.valueOf(evictionsKept),
              "must be between 1 and "
                  + MAX_EVICTIONS_KEPT
                  + " (records kept in each of two rings)"));
    }
    if (!violations.isEmpty()) {
      throw new InvalidConnmgrPropertiesException(violations);
    }
  }

  private static void within(
      List<InvalidConnmgrPropertiesException.Violation> violations,
      String name,
      @Nullable Duration value,
      Duration min,
      Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      violations.add(
          new InvalidConnmgrPropertiesException.Violation(
              "connmgr.console." + name,
              String.valueOf(value),
              "must be between "
                  + Format.duration(min)
                  + " and "
                  + Format.duration(max)
                  + " ("
                  + min
                  + " to "
                  + max
                  + ")"));
    }
  }

  /** The path without a trailing slash, always starting with one. */
  String basePath() {
    String p = path.trim();
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
