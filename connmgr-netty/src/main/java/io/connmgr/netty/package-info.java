/**
 * A Netty adapter for connmgr: {@link io.connmgr.netty.ConnectionManagerHandler} reports each
 * channel as a managed connection, refuses at admission and closes evicted channels (with a GOAWAY
 * when the pipeline speaks HTTP/2); {@link io.connmgr.netty.ManagedStreamHandler} reports HTTP/2
 * child channels as managed streams.
 */
@NullMarked
package io.connmgr.netty;

import org.jspecify.annotations.NullMarked;
