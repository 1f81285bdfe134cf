/**
 * Feature selection on vision-encoder outputs: strategies, layer picking and post-norm, as vLLM.
 */
package dev.vitrail.encoders.select;
