package io.connmgr.internal;

import java.time.Duration;

/**
 * How the manager remembers the peers it evicted.
 *
 * @param size most peers remembered; 0 turns the memory off
 * @param window how long a peer is remembered after its last eviction
 * @param firstBackoff the reconnect backoff a first eviction earns; doubled for each further one
 *     while remembered, at most the window
 * @param restoreState whether a peer that reconnects while remembered gets back the tags and typed
 *     state it had when it was evicted
 */
public record EvictionMemorySettings(
    int size, Duration window, Duration firstBackoff, boolean restoreState) {}
