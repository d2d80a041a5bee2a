package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The typed state slots of one subject. Reads are lock-free; each slot has its own lock for {@link
 * #update}, so different keys never block each other.
 */
final class Attachments {

  private static final Slot[] NONE = new Slot[0];

  private volatile Slot[] slots = NONE;

  <T> T get(AttachmentKey<T> key) {
    return cast(slot(key).value());
  }

  <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    Slot slot = slot(key);
    synchronized (slot) {
      update.accept(cast(slot.value()));
    }
  }

  /** Takes over {@code saved} slots whose keys have no slot here yet; slots already here win. */
  synchronized void adopt(Slot[] saved) {
    Slot[] current = slots;
    for (Slot slot : saved) {
      if (find(current, slot.key()) == null) {
        current = Arrays.copyOf(current, current.length + 1);
        current[current.length - 1] = slot;
      }
    }
    slots = current;
  }

  /** The keys set so far, with their values, for consoles. */
  Slot[] slots() {
    return slots;
  }

  private Slot slot(AttachmentKey<?> key) {
    Slot found = find(slots, key);
    if (found != null) {
      return found;
    }
    synchronized (this) {
      Slot[] current = slots;
      found = find(current, key);
      if (found == null) {
        found = new Slot(key, key.initialValue());
        Slot[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = found;
        slots = grown;
      }
      return found;
    }
  }

  private static @Nullable Slot find(Slot[] slots, AttachmentKey<?> key) {
    for (Slot slot : slots) {
      if (slot.key() == key) {
        return slot;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  /** One key's state. */
  record Slot(AttachmentKey<?> key, Object value) {}
}
