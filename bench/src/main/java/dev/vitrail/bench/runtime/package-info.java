/**
 * Runnable benchmark harnesses for the runtime module (not tests): video decoding, overhead,
 * balancing, scaling.
 */
package dev.vitrail.bench.runtime;
