/**
 * The parts behind {@link io.connmgr.ConnectionManager}. Not API: types here change without notice;
 * only the components the façade delegates to ({@link io.connmgr.internal.ManagerComponents}) and
 * the settings records are public, for the façade. The module {@code io.connmgr} does not export
 * this package (docs/build.md).
 */
@NullMarked
package io.connmgr.internal;

import org.jspecify.annotations.NullMarked;
