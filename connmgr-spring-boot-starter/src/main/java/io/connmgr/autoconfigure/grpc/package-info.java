/** Auto-configuration of the gRPC adapter for Spring gRPC's grpc-netty server. */
@NullMarked
package io.connmgr.autoconfigure.grpc;

import org.jspecify.annotations.NullMarked;
