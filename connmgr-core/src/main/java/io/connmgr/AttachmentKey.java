package io.connmgr;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A typed slot for protocol state on a peer, a connection or a stream. Create one per kind of
 * state, usually as a constant; keys compare by identity.
 *
 * <pre>{@code
 * static final AttachmentKey<LatencyStats> LATENCY = AttachmentKey.of("latency", LatencyStats::new);
 * }</pre>
 *
 * @param <T> the type of the state
 */
public final class AttachmentKey<T> {

  private final String name;
  private final Supplier<? extends T> initial;

  private AttachmentKey(String name, Supplier<? extends T> initial) {
    this.name = name;
    this.initial = initial;
  }

  /**
   * Creates a key.
   *
   * @param name a name for logs and the console
   * @param initial creates the state the first time a subject is asked for it; must not return null
   */
  public static <T> AttachmentKey<T> of(String name, Supplier<? extends T> initial) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(initial, "initial");
    if (name.isBlank()) {
      throw new IllegalArgumentException("attachment key name must not be blank");
    }
    return new AttachmentKey<>(name, initial);
  }

  /** The name given at creation. */
  public String name() {
    return name;
  }

  /** Creates the initial state for a subject that has none yet. */
  public T initialValue() {
    return Objects.requireNonNull(initial.get(), () -> "initial value of attachment " + name);
  }

  @Override
  public String toString() {
    return "AttachmentKey[" + name + "]";
  }
}
