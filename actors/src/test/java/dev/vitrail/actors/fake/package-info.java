/** Deterministic heap-only towers with injectable faults, for actor tests. */
package dev.vitrail.actors.fake;
