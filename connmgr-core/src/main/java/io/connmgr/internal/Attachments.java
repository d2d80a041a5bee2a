package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The typed state slots of one subject, and the marks of the scorers whose last answer for it was
 * {@link io.connmgr.Score#KEEP} (see {@link ScoredEntry}): made only for a subject that needs
 * either. Reads are lock-free; each slot has its own lock for {@link #update}, so different keys
 * never block each other; the marks are replaced whole, by compare-and-set.
 */
final class Attachments {

  private static final Slot[] NONE = new Slot[0];
  private static final ScoredEntry.KeepMark[] NOT_KEPT = {};
  private static final VarHandle KEPT_BY;

  static {
    try {
      KEPT_BY =
          MethodHandles.lookup()
              .findVarHandle(Attachments.class, "keptBy", ScoredEntry.KeepMark[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile Slot[] slots = NONE;

  /** The marks of the scorers whose last answer was KEEP. */
  private volatile ScoredEntry.KeepMark[] keptBy = NOT_KEPT;

  boolean isKeptBy(ScoredEntry.KeepMark mark) {
    return indexOf(keptBy, mark) >= 0;
  }

  /** See {@link ScoredEntry#setKeptBy}. */
  void setKeptBy(ScoredEntry.KeepMark mark, boolean keep) {
    for (; ; ) {
      ScoredEntry.KeepMark[] current = keptBy;
      if (indexOf(current, mark) >= 0 == keep) {
        return;
      }
      if (KEPT_BY.compareAndSet(this, current, changed(current, mark, keep))) {
        return;
      }
    }
  }

  private static ScoredEntry.KeepMark[] changed(
      ScoredEntry.KeepMark[] current, ScoredEntry.KeepMark mark, boolean keep) {
    ScoredEntry.KeepMark[] next = new ScoredEntry.KeepMark[current.length + 1];
    int n = 0;
    for (ScoredEntry.KeepMark m : current) {
      if (m != mark && !m.isRetired()) {
        next[n++] = m;
      }
    }
    if (keep && !mark.isRetired()) {
      next[n++] = mark;
    }
    return n == 0 ? NOT_KEPT : Arrays.copyOf(next, n);
  }

  private static int indexOf(ScoredEntry.KeepMark[] marks, ScoredEntry.KeepMark mark) {
    for (int i = 0; i < marks.length; i++) {
      if (marks[i] == mark) {
        return i;
      }
    }
    return -1;
  }

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
