/**
 * The Spring WebFlux WebSocket adapter: registers each reactive WebSocket session as a managed
 * connection and closes the sessions the manager evicts or refuses with the same close codes and
 * reasons as the servlet adapter in {@code io.connmgr.websocket}.
 */
@NullMarked
package io.connmgr.websocket.reactive;

import org.jspecify.annotations.NullMarked;
