package io.connmgr.console;

import io.connmgr.PeerId;
import io.connmgr.SkipReason;
import io.connmgr.Trigger;
import java.time.Duration;
import java.time.Instant;

/** {@link Format} for templates: {@code ${fmt.score(x)}}. */
public final class Formats {

  Formats() {}

  public String score(double value) {
    return Format.score(value);
  }

  public String duration(Duration d) {
    return Format.duration(d);
  }

  public String millis(long ms) {
    return Format.duration(Duration.ofMillis(Math.max(0, ms)));
  }

  public String latency(Duration d) {
    return Format.latency(d);
  }

  /** Whether a peer id is unverified (claimed by its client), for the "unverified" badge. */
  public boolean unverified(String peer) {
    return peer.startsWith(PeerId.UNVERIFIED_PREFIX);
  }

  public String instant(Instant at) {
    return Format.instant(at);
  }

  public String reason(SkipReason reason) {
    return Format.reason(reason);
  }

  public String trigger(Trigger trigger) {
    return Format.trigger(trigger);
  }

  /** The age of {@code at} relative to {@code now}. */
  public String ago(Instant at, Instant now) {
    Duration d = Duration.between(at, now);
    return Format.duration(d.isNegative() ? Duration.ZERO : d) + " ago";
  }

  /** Each {@code prefix} entry of a breakdown without its prefix. */
  public java.util.List<ConnectionRow.ScorePart> parts(
      java.util.Map<String, Double> breakdown, String prefix) {
    return ConnectionRow.parts(breakdown, prefix);
  }
}
