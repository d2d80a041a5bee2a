package io.connmgr.internal;

import io.connmgr.AttachmentKey;
import io.connmgr.Stateful;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A subject whose typed state slots are created on first use. */
abstract class StatefulEntry implements Stateful {

  private volatile @Nullable Attachments attachments;

  @Override
  public final <T> T state(AttachmentKey<T> key) {
    return attachments().get(key);
  }

  @Override
  public final <T> void update(AttachmentKey<T> key, Consumer<? super T> update) {
    attachments().update(key, update);
  }

  /** The slots set so far; empty when none was ever asked for. */
  final Attachments.Slot[] stateSlots() {
    Attachments a = attachments;
    return a == null ? new Attachments.Slot[0] : a.slots();
  }

  private Attachments attachments() {
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
