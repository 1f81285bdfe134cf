/** Seeded random inputs for the property tests. */
package dev.vitrail.actors.random;
