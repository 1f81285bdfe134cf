/**
 * Pure balancing inputs of the supervisor: a cost model, a cost planner and the balance modes
 * (vLLM's patch-load assignment itself is {@code encoders.sharding.LoadBalancer}).
 */
package dev.vitrail.actors.balance;
