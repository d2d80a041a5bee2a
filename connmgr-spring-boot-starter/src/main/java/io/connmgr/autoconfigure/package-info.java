/**
 * Spring Boot auto-configuration of a {@link io.connmgr.ConnectionManager}: {@code connmgr.*}
 * properties, their failure analysis, lifecycle and discovery of scorer, veto and listener beans.
 */
@NullMarked
package io.connmgr.autoconfigure;

import org.jspecify.annotations.NullMarked;
