package io.connmgr;

import java.time.Instant;
import java.util.List;

/** The round a {@link CloseVeto} is asked in. */
public interface TrimRound {

  Trigger trigger();

  Instant startedAt();

  /** How many connections the round sets out to close. */
  int target();

  /** The connections already chosen for closing in this round, in order. */
  List<? extends ConnectionView> planned();

  /**
   * Every connection open now, candidates or not, those planned for closing included (they are open
   * until closed); a fresh list at each call, built in time linear in the connections.
   */
  List<? extends ConnectionView> openConnections();
}
