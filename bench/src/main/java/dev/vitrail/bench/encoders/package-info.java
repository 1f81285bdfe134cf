/** Runnable benchmark harnesses (main classes), not tests. */
package dev.vitrail.bench.encoders;
