package io.connmgr.sample;

import io.connmgr.AttachmentKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's typed state on a connection: its reservation and the circuits open through it. The
 * relay service changes it as circuits come and go; the manager is told nothing until {@link
 * RelayScorer} reads it in a round.
 */
public final class Circuits {

  /** The connection slot. */
  public static final AttachmentKey<Circuits> KEY = AttachmentKey.of("relay", Circuits::new);

  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private volatile boolean reserved;

  /** Circuits open now. */
  public int count() {
    return open.size();
  }

  /** Whether the peer holds a reservation. */
  public boolean reserved() {
    return reserved;
  }

  void reserve() {
    reserved = true;
  }

  void open(String circuit) {
    if (open.size() < 64) {
      open.add(circuit);
    }
  }

  void close(String circuit) {
    open.remove(circuit);
  }

  @Override
  public String toString() {
    return "reserved=" + reserved + " circuits=" + open.size();
  }
}
