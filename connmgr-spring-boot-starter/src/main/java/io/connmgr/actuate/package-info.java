/** The {@code connmgr} Actuator endpoint and health indicator. */
@NullMarked
package io.connmgr.actuate;

import org.jspecify.annotations.NullMarked;
