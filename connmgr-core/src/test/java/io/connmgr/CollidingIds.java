package io.connmgr;

import java.util.ArrayList;
import java.util.List;

/**
 * Peer ids of one hash code, as a peer could choose them: "Aa" and "BB" hash alike, and so do any
 * two strings made of as many blocks of either.
 */
public final class CollidingIds {

  private CollidingIds() {}

  /** {@code count} distinct ids of one hash code, each of {@code blocks} blocks of "Aa" or "BB". */
  public static List<PeerId> of(int count, int blocks) {
    if (count > 1 << blocks) {
      throw new IllegalArgumentException(blocks + " blocks make at most " + (1 << blocks) + " ids");
    }
    List<PeerId> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder s = new StringBuilder("peer-");
      for (int b = 0; b < blocks; b++) {
        s.append((i >> b & 1) == 0 ? "Aa" : "BB");
      }
      ids.add(PeerId.of(s.toString()));
    }
    return ids;
  }
}
