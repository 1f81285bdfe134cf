/**
 * Per-request collection of item results in the caller's order, and vLLM's padded gather layout.
 */
package dev.vitrail.actors.aggregate;
