/**
 * A Spring WebSocket adapter: registers each session as a managed connection and closes the
 * sessions the manager evicts with a policy close status that says why.
 */
@NullMarked
package io.connmgr.websocket;

import org.jspecify.annotations.NullMarked;
