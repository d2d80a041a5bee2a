/**
 * The connmgr admin console: server-rendered pages under {@code connmgr.console.path} showing live
 * connections, scores, leases and evictions, and POST actions to pin, unpin, evict and trim.
 * Everything is registered by {@link io.connmgr.console.ConsoleAutoConfiguration}; nothing here is
 * component-scanned.
 */
@NullMarked
package io.connmgr.console;

import org.jspecify.annotations.NullMarked;
