/** Servlet-side guards for the starter's HTTP surface, applied only in servlet applications. */
@NullMarked
package io.connmgr.web;

import org.jspecify.annotations.NullMarked;
