/**
 * Micrometer meters for a {@link io.connmgr.ConnectionManager}; the core knows nothing of
 * Micrometer.
 */
@NullMarked
package io.connmgr.metrics;

import org.jspecify.annotations.NullMarked;
