/**
 * Pure load balancing of images over workers: vLLM's patch-load assignment, a cost model and
 * policies.
 */
package dev.vitrail.actors.balance;
