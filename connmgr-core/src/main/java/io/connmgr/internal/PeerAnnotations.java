package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import io.connmgr.BumpFunction;
import io.connmgr.DecayFunction;
import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import io.connmgr.inspect.TagInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What an application puts on peers: tags (plain and decaying), protections and typed state. Each
 * change happens under the peer's monitor in the {@link PeerTable}; a protection change is copied
 * onto the peer's entry and heard by the listeners.
 */
public final class PeerAnnotations {

  private final OpenState open;
  private final PeerTable table;
  private final Protections protections;
  private final DecayingTags decaying;
  private final ListenerBus bus;

  PeerAnnotations(
      OpenState open,
      PeerTable table,
      Protections protections,
      DecayingTags decaying,
      ListenerBus bus) {
    this.open = open;
    this.table = table;
    this.protections = protections;
    this.decaying = decaying;
    this.bus = bus;
  }

  // --- tags -----------------------------------------------------------------------------------

  /** See {@link io.connmgr.ConnectionManager#tagPeer}. */
  public void tagPeer(PeerId peer, String tag, int weight) {
    open.ensureOpen();
    ensurePlainTag(tag);
    table.changeTag(peer, tag, weight, null, PeerTable.TagChange.SET);
  }

  /** See {@link io.connmgr.ConnectionManager#untagPeer}. */
  public void untagPeer(PeerId peer, String tag) {
    table.changeTag(peer, tag, 0, null, PeerTable.TagChange.REMOVE);
  }

  /** See {@link io.connmgr.ConnectionManager#upsertTag}. */
  public void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert) {
    open.ensureOpen();
    ensurePlainTag(tag);
    table.changeTag(peer, tag, 0, upsert, PeerTable.TagChange.UPSERT);
  }

  /** See {@link io.connmgr.inspect.Inspection#tagInfo}. */
  Optional<TagInfo> tagInfo(PeerId peer) {
    return Optional.ofNullable(
        table.withExistingPeer(
            peer,
            e -> {
              Map<Long, Instant> connections = new LinkedHashMap<>();
              for (ConnectionEntry c : e.connectionArray()) {
                connections.put(c.id(), c.openedAt());
              }
              return new TagInfo(e.firstSeen(), e.tagValue(), e.tags(), connections);
            }));
  }

  /** See {@link io.connmgr.ConnectionManager#registerDecayingTag}. */
  public DecayingTag registerDecayingTag(
      String name, Duration interval, DecayFunction decay, BumpFunction bump) {
    open.ensureOpen();
    return new DecayingTagHandle(decaying, decaying.register(name, interval, decay, bump));
  }

  private void ensurePlainTag(String tag) {
    if (decaying.isRegistered(tag)) {
      throw new IllegalArgumentException(
          "tag '" + tag + "' is a registered decaying tag; change it through its DecayingTag");
    }
  }

  // --- protection -----------------------------------------------------------------------------

  /** See {@link io.connmgr.ConnectionManager#protect}. */
  public void protect(PeerId peer, String tag) {
    open.ensureOpen();
    boolean added;
    try {
      added = protections.protect(peer, tag);
      table.protectionChanged(peer);
    } finally {
      protections.markChanged();
    }
    if (added) {
      bus.fire(ListenerEvent.PROTECTION_CHANGED, l -> l.onProtectionChanged(peer, tag, true));
    }
  }

  /** See {@link io.connmgr.ConnectionManager#unprotect}. */
  public boolean unprotect(PeerId peer, String tag) {
    boolean wasProtected = protections.isProtected(peer, tag);
    boolean stillProtected;
    try {
      stillProtected = protections.unprotect(peer, tag);
      table.protectionChanged(peer);
    } finally {
      protections.markChanged();
    }
    if (wasProtected) {
      bus.fire(ListenerEvent.PROTECTION_CHANGED, l -> l.onProtectionChanged(peer, tag, false));
    }
    return stillProtected;
  }

  /** See {@link io.connmgr.ConnectionManager#protections}. */
  public Map<PeerId, Set<String>> protections() {
    return protections.all();
  }

  /** See {@link io.connmgr.ConnectionManager#isProtected}. */
  public boolean isProtected(PeerId peer, @Nullable String tag) {
    return protections.isProtected(peer, tag);
  }

  // --- typed state ----------------------------------------------------------------------------

  /** See {@link io.connmgr.ConnectionManager#peerState}. */
  public <T> T peerState(PeerId peer, AttachmentKey<T> key) {
    return table.withPeer(peer, e -> e).state(key);
  }

  /** See {@link io.connmgr.ConnectionManager#updatePeer}. */
  public <T> void updatePeer(PeerId peer, AttachmentKey<T> key, Consumer<? super T> update) {
    table.withPeer(peer, e -> e).update(key, update);
  }
}
