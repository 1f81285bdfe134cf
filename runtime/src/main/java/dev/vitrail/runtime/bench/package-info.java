/** Runnable benchmark harnesses for the runtime module (not tests). */
package dev.vitrail.runtime.bench;
