/**
 * The public API of connmgr: a {@link io.connmgr.ConnectionManager} that keeps open connections
 * between a low and a high watermark and, when it must close some, closes those that matter least.
 */
@NullMarked
package io.connmgr;

import org.jspecify.annotations.NullMarked;
