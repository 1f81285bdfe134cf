/**
 * The Pekko HTTP surface: OpenAI-style /v1/embeddings, binary tensor bodies, health and metrics.
 */
package dev.vitrail.runtime.http;
