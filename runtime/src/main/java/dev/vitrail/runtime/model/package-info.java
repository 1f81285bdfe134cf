/**
 * A model directory opened for serving: validated config, its image processor and a running
 * Vitrail.
 */
package dev.vitrail.runtime.model;
