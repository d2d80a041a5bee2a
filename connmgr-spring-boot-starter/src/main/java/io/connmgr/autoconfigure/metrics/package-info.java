/**
 * Auto-configuration of the Micrometer meters of a {@link io.connmgr.ConnectionManager}, applied
 * only when Micrometer is present.
 */
@NullMarked
package io.connmgr.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
