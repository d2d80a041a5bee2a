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

  /** Runs {@code update} on this subject's state under {@code key}, with exclusive access to it. */
  public final <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(update, "update");
    slotsOnDemand().update(key, update);
  }

  @Override
  public final Map<String, Object> attachments() {
    return stateCopy().byName();
  }

  /** The state set so far, read once, by key and by name (as {@link #attachments()} names it). */
  final StateCopy stateCopy() {
    Attachments.Slot[] slots = stateSlots();
    if (slots.length == 0) {
      return StateCopy.NONE;
    }
    Map<AttachmentKey<?>, Object> byKey = new LinkedHashMap<>();
    Map<String, Object> byName = new LinkedHashMap<>();
    for (Attachments.Slot slot : slots) {
      // keys compare by identity, so two may share a name: the later ones get #2, #3, ...
      byKey.put(slot.key(), slot.value());
      String name = slot.key().name();
      String unique = name;
      for (int n = 2; byName.containsKey(unique); n++) {
        unique = name + "#" + n;
      }
      byName.put(unique, slot.value());
    }
    return new StateCopy(Collections.unmodifiableMap(byKey), Collections.unmodifiableMap(byName));
  }

  /**
   * A subject's state slots as they were at one moment.
   *
   * @param byKey the values by key, in the order the keys were first used
   * @param byName the same values by key name; see {@link #attachments()}
   */
  record StateCopy(Map<AttachmentKey<?>, Object> byKey, Map<String, Object> byName) {
    static final StateCopy NONE = new StateCopy(Map.of(), Map.of());
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

  /** Its state and scorers' marks, or null when nothing was ever kept there. */
  final @Nullable Attachments attachmentsIfAny() {
    return attachments;
  }

  /** Its state and scorers' marks, made if need be. */
  final Attachments attachmentsOnDemand() {
    return slotsOnDemand();
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
