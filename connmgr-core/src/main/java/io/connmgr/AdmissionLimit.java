package io.connmgr;

import io.connmgr.inspect.RecentEviction;

/** The hard limit that refused a new connection. */
public enum AdmissionLimit {
  /** The peer is on the deny list. */
  DENIED,
  /**
   * The total cap ({@code maxConnections}) was reached and no lower-scoring connection could go.
   */
  MAX_CONNECTIONS,
  /** The peer already has {@code maxConnectionsPerPeer} connections. */
  MAX_PER_PEER,
  /** Inbound connections already take their whole share of the cap. */
  INBOUND_SHARE,
  /**
   * The peer was evicted recently and its reconnect backoff still runs, while the count is at or
   * above high water; see {@link RecentEviction}.
   */
  RECENTLY_EVICTED
}
