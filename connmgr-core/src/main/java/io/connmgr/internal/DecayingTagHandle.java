package io.connmgr.internal;

import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.Objects;

/** What the application holds for a registered decaying tag. */
final class DecayingTagHandle implements DecayingTag {

  private final DecayingTags tags;
  private final DecayingTagEntry entry;

  DecayingTagHandle(DecayingTags tags, DecayingTagEntry entry) {
    this.tags = tags;
    this.entry = entry;
  }

  @Override
  public String name() {
    return entry.name();
  }

  @Override
  public Duration interval() {
    return entry.interval();
  }

  @Override
  public void bump(PeerId peer, int delta) {
    Objects.requireNonNull(peer, "peer");
    tags.bump(entry, peer, delta);
  }

  @Override
  public void remove(PeerId peer) {
    Objects.requireNonNull(peer, "peer");
    tags.remove(entry, peer);
  }

  @Override
  public void close() {
    tags.close(entry);
  }

  @Override
  public String toString() {
    return entry.toString();
  }
}
