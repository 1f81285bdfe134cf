/** Benchmark harnesses (runnable {@code main} classes), not part of the library API. */
package dev.vitrail.encoders.bench;
