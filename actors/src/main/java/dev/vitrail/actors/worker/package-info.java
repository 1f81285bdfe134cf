/**
 * One encoder worker per device: owns a tower, runs it on its own thread, batches and replies per
 * item.
 */
package dev.vitrail.actors.worker;
