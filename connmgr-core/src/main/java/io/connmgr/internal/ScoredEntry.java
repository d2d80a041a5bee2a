package io.connmgr.internal;

/**
 * A subject scorers rate (a peer, a connection, a stream) that remembers which scorers' last answer
 * for it was {@link io.connmgr.Score#KEEP}, by their marks. The memory is on the subject, not in a
 * table keyed by it: a lookup scans the few scorers that kept it, whatever its hash (a peer chooses
 * its id, and with it its entry's hash), and the marks leave with the subject. They are kept beside
 * its typed state ({@link Attachments}), made only for a subject that needs either: a field of
 * their own on every entry cost W4 8 bytes a peer.
 */
abstract class ScoredEntry extends StatefulEntry {

  /** Whether the last answer of the scorer with {@code mark} was KEEP. */
  final boolean isKeptBy(KeepMark mark) {
    Attachments a = attachmentsIfAny();
    return a != null && a.isKeptBy(mark);
  }

  /**
   * Records whether the last answer of the scorer with {@code mark} was KEEP; a change also drops
   * the marks of scorers unregistered since.
   */
  final void setKeptBy(KeepMark mark, boolean keep) {
    Attachments a = keep ? attachmentsOnDemand() : attachmentsIfAny();
    if (a != null) {
      a.setKeptBy(mark, keep);
    }
  }

  /**
   * One registered scorer's mark: small, so a subject it kept holds neither the scorer nor what the
   * scorer holds; retired when the scorer is unregistered.
   */
  static final class KeepMark {

    private volatile boolean retired;

    void retire() {
      retired = true;
    }

    boolean isRetired() {
      return retired;
    }
  }
}
