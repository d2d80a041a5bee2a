/**
 * The parts behind {@link io.connmgr.ConnectionManager}. Not API: types here change without
 * notice; only the components the façade delegates to ({@link
 * io.connmgr.internal.ManagerComponents}), the settings records and {@link
 * io.connmgr.internal.CandidateOrder} are public, for the façade and the benchmarks.
 */
@NullMarked
package io.connmgr.internal;

import org.jspecify.annotations.NullMarked;
