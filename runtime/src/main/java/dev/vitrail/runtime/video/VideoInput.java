package dev.vitrail.runtime.video;

import dev.vitrail.encoders.api.PixelInput;

/**
 * One tower input made from video frames: a single frame for per-image towers, or a clip of
 * consecutive sampled frames for Qwen2-VL (paired per temporal patch).
 *
 * @param firstIndex decode index of the first frame in it
 * @param lastIndex decode index of the last frame in it
 * @param firstTimestampMicros timestamp of the first frame
 * @param lastTimestampMicros timestamp of the last frame
 * @param frames number of sampled frames in it (before temporal padding)
 * @param pixels the preprocessed input
 */
public record VideoInput(
    long firstIndex,
    long lastIndex,
    long firstTimestampMicros,
    long lastTimestampMicros,
    int frames,
    PixelInput pixels) {}
