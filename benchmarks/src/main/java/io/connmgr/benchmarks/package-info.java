/**
 * JMH benchmarks of the connection manager, and the plain mains where JMH does not fit (retained
 * heap). The workloads and the fixture follow issue 7 so the figures compare with go-libp2p's.
 */
@NullMarked
package io.connmgr.benchmarks;

import org.jspecify.annotations.NullMarked;
