package dev.vitrail.runtime.video;

import dev.vitrail.encoders.preprocess.RgbImage;

/**
 * One decoded, sampled video frame.
 *
 * @param index position of the frame among all decoded frames (0-based, before sampling)
 * @param timestampMicros presentation time in microseconds from the stream start
 * @param image the frame as RGB
 */
public record VideoFrame(long index, long timestampMicros, RgbImage image) {}
