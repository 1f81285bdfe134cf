/**
 * Vitrail as the encoder tier of a disaggregated VLM deployment: vLLM encoder-cache files, inline
 * {@code image_embeds} payloads and the consumer's exact token counts.
 */
package dev.vitrail.runtime.vlm;
