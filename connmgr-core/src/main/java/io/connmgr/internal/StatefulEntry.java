package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import io.connmgr.Stateful;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A subject whose typed state slots are created on first use. */
abstract class StatefulEntry implements Stateful {

  private volatile @Nullable Attachments attachments;

  @Override
  public final <T> T state(AttachmentKey<T> key) {
    Objects.requireNonNull(key, "key");
    return slotsOnDemand().get(key);
  }

  @Override
  public final <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(update, "update");
    slotsOnDemand().update(key, update);
  }

  @Override
  public final Map<String, Object> attachments() {
    Attachments.Slot[] slots = stateSlots();
    if (slots.length == 0) {
      return Map.of();
    }
    Map<String, Object> byName = new LinkedHashMap<>();
    for (Attachments.Slot slot : slots) {
      // keys compare by identity, so two may share a name: the later ones get #2, #3, ...
      String name = slot.key().name();
      String unique = name;
      for (int n = 2; byName.containsKey(unique); n++) {
        unique = name + "#" + n;
      }
      byName.put(unique, slot.value());
    }
    return Collections.unmodifiableMap(byName);
  }

  /** The slots set so far; empty when none was ever asked for. */
  final Attachments.Slot[] stateSlots() {
    Attachments a = attachments;
    return a == null ? new Attachments.Slot[0] : a.slots();
  }

  /** Takes over saved slots for keys this subject has no slot for yet. */
  final void adoptSlots(Attachments.Slot[] saved) {
    if (saved.length > 0) {
      slotsOnDemand().adopt(saved);
    }
  }

  private Attachments slotsOnDemand() {
    Attachments a = attachments;
    if (a == null) {
      synchronized (this) {
        a = attachments;
        if (a == null) {
          a = new Attachments();
          attachments = a;
        }
      }
    }
    return a;
  }
}
