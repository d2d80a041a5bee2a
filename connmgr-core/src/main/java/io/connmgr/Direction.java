package io.connmgr;

/** Who opened a connection or a stream: the remote side ({@code INBOUND}) or this node. */
public enum Direction {
  INBOUND,
  OUTBOUND
}
