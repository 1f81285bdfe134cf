/**
 * Building blocks shared by the towers (linear, norms, MLPs, attention); each owns its weights and
 * runs in the caller's scope.
 */
package dev.vitrail.encoders.layers;
