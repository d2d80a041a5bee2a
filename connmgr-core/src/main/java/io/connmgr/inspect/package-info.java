/**
 * What the manager lets you read, never change: {@link io.connmgr.inspect.ManagerStats} for
 * counters and the last rounds ({@code manager.stats()}), and the read models that the manager's
 * inspection hands out.
 */
@NullMarked
package io.connmgr.inspect;

import org.jspecify.annotations.NullMarked;
