/**
 * The connmgr sample node: a WebSocket endpoint for peers speaking a small stream protocol, a swarm
 * of real WebSocket clients on loopback, and one scorer, veto or lease user per use case (DHT,
 * bitswap, gossip, relay, identify).
 */
@NullMarked
package io.connmgr.sample;

import org.jspecify.annotations.NullMarked;
