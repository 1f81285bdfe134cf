package dev.vitrail.runtime.video;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups a frame iterator into consecutive clips of a fixed number of frames (the last may be
 * shorter), e.g. a multiple of Qwen2-VL's temporal patch: memory holds one clip at a time.
 */
public final class FrameGroups implements Iterator<List<VideoFrame>> {
  private final Iterator<VideoFrame> frames;
  private final int size;

  /** Groups {@code frames} by {@code size}. */
  public FrameGroups(Iterator<VideoFrame> frames, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("group size must be >= 1, got " + size);
    }
    this.frames = frames;
    this.size = size;
  }

  @Override
  public boolean hasNext() {
    return frames.hasNext();
  }

  @Override
  public List<VideoFrame> next() {
    if (!frames.hasNext()) {
      throw new NoSuchElementException("no more frames");
    }
    List<VideoFrame> group = new ArrayList<>(size);
    while (group.size() < size && frames.hasNext()) {
      group.add(frames.next());
    }
    return group;
  }
}
