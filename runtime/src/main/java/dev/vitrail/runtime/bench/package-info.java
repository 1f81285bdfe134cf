/** Benchmark harnesses: runtime overhead, balancing simulation, worker scaling. */
package dev.vitrail.runtime.bench;
