package io.connmgr;

import java.time.Duration;

/**
 * A tag whose value changes on a fixed interval by a {@link DecayFunction} and on {@link #bump} by
 * a {@link BumpFunction}; its values count in the peer's tag value like any tag.
 */
public interface DecayingTag extends AutoCloseable {

  String name();

  Duration interval();

  /**
   * Applies the bump function to the peer's value (0 if it had none).
   *
   * @throws IllegalStateException if the tag was closed
   */
  void bump(PeerId peer, int delta);

  /** Removes this tag from one peer. */
  void remove(PeerId peer);

  /** Removes this tag from every peer and frees its name. Idempotent. */
  @Override
  void close();
}
