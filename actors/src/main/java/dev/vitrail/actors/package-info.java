/**
 * Pekko typed actors: supervisor, encoder workers, aggregator, and the load balancer beside them.
 */
package dev.vitrail.actors;
