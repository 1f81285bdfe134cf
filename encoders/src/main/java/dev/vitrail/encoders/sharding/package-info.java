/** vLLM's data-parallel sharding layouts for vision models, simulated over ranks on tensors. */
package dev.vitrail.encoders.sharding;
