package io.connmgr.netty;

import io.connmgr.EvictionRecord;

/**
 * The user event a {@link ConnectionManagerHandler} fires through the pipeline just before it
 * closes a channel the manager evicted, so an application handler can say goodbye in its own
 * protocol (write and flush; the channel closes right after).
 *
 * @param why the manager's record of this eviction
 */
public record ConnectionEvicted(EvictionRecord why) {}
