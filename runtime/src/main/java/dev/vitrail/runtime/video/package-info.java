/**
 * Video files and streams decoded with FFmpeg into sampled RGB frames, one frame in memory at a
 * time.
 */
package dev.vitrail.runtime.video;
