/**
 * Auto-configuration of the Spring WebSocket adapter, applied only when {@code spring-websocket} is
 * present.
 */
@NullMarked
package io.connmgr.autoconfigure.websocket;

import org.jspecify.annotations.NullMarked;
