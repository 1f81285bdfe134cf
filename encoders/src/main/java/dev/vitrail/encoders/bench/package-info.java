/** Runnable benchmark harnesses for the encoders module (not tests). */
package dev.vitrail.encoders.bench;
