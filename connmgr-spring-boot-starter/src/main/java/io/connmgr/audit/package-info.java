/**
 * The operator's actions (pin, unpin, evict, trim) and their audit trail: who did what, from where,
 * when, and with what outcome, kept apart from the eviction history so no round pushes it out. The
 * console and the actuator endpoint act through {@link io.connmgr.audit.OperatorActions}.
 */
@NullMarked
package io.connmgr.audit;

import org.jspecify.annotations.NullMarked;
