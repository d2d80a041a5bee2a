/**
 * JMH benchmarks of the connection manager, and the plain mains where JMH does not fit (retained
 * heap; one round's wall and CPU time round after round in one JVM, {@link
 * io.connmgr.benchmarks.RoundTimes}). The workloads and the fixture follow issue 7 so the figures
 * compare with go-libp2p's.
 */
@NullMarked
package io.connmgr.benchmarks;

import org.jspecify.annotations.NullMarked;
