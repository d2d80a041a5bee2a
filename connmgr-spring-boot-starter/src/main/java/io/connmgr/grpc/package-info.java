/**
 * The gRPC adapter for grpc-netty servers (Spring gRPC's among them): each transport is a managed
 * connection, each call a managed stream named by its full method name; an evicted transport's
 * calls end with {@code UNAVAILABLE} and the eviction's reason, then the transport gets a GOAWAY
 * and closes.
 */
@NullMarked
package io.connmgr.grpc;

import org.jspecify.annotations.NullMarked;
