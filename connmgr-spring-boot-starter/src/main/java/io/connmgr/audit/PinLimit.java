package io.connmgr.audit;

import io.connmgr.PeerId;

/**
 * A bound on operator pins checked before {@link OperatorActions#pin} carries one out, such as the
 * size of the file that keeps them across restarts; a pin it refuses is on record as refused.
 */
@FunctionalInterface
public interface PinLimit {

  /** No bound: every pin is carried out. */
  PinLimit NONE = peer -> {};

  /**
   * Checks that {@code peer} may be pinned.
   *
   * @throws IllegalStateException saying which bound pinning it would pass
   */
  void check(PeerId peer);
}
