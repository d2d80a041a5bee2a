/**
 * The engine behind {@link io.connmgr.ConnectionManager}. Not API: types here change without
 * notice; only {@link io.connmgr.internal.Engine} and the settings record are public, for the
 * façade and the benchmarks.
 */
@NullMarked
package io.connmgr.internal;

import org.jspecify.annotations.NullMarked;
