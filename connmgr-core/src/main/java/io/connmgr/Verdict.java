package io.connmgr;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A {@link CloseVeto}'s answer: allow the close, or veto it with a reason. */
public final class Verdict {

  private static final Verdict ALLOW = new Verdict(null);

  private final @Nullable String reason;

  private Verdict(@Nullable String reason) {
    this.reason = reason;
  }

  /** Lets the round close the candidate. */
  public static Verdict allow() {
    return ALLOW;
  }

  /** Keeps the candidate open this round; the reason goes in the report and the events. */
  public static Verdict veto(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("veto reason must not be blank");
    }
    return new Verdict(reason);
  }

  public boolean isVeto() {
    return reason != null;
  }

  /** The veto's reason; empty for {@link #allow()}. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    return reason == null ? "allow" : "veto(" + reason + ")";
  }
}
