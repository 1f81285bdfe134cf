package dev.vitrail.runtime.video;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.RgbImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Turns sampled frames into tower inputs with a processor, one group of frames at a time: per-image
 * processors (CLIP, SigLIP, Pixtral) give one input per frame; Qwen2-VL gives one input per group,
 * its frames paired per temporal patch (an odd group repeats its last frame). Memory holds one
 * group and its inputs.
 */
public final class VideoInputs implements Iterator<VideoInput> {
  private final FrameGroups groups;
  private final ImageProcessor processor;
  private final Deque<VideoInput> ready = new ArrayDeque<>();

  /**
   * @param frames the sampled frames, in order
   * @param processor the model's processor
   * @param framesPerGroup frames handed to the processor together (for Qwen2-VL, the frames of one
   *     clip input: an even number keeps every temporal patch made of two distinct frames)
   */
  public VideoInputs(Iterator<VideoFrame> frames, ImageProcessor processor, int framesPerGroup) {
    this.groups = new FrameGroups(frames, framesPerGroup);
    this.processor = processor;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && groups.hasNext()) {
      fill(groups.next());
    }
    return !ready.isEmpty();
  }

  @Override
  public VideoInput next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more video inputs");
    }
    return ready.removeFirst();
  }

  private void fill(List<VideoFrame> group) {
    List<RgbImage> images = new ArrayList<>(group.size());
    for (VideoFrame f : group) {
      images.add(f.image());
    }
    List<PixelInput> inputs = processor.processFrames(images);
    if (inputs.size() == group.size()) {
      for (int i = 0; i < inputs.size(); i++) {
        VideoFrame f = group.get(i);
        ready.add(
            new VideoInput(
                f.index(), f.index(), f.timestampMicros(), f.timestampMicros(), 1, inputs.get(i)));
      }
    } else if (inputs.size() == 1) {
      VideoFrame first = group.get(0);
      VideoFrame last = group.get(group.size() - 1);
      ready.add(
          new VideoInput(
              first.index(),
              last.index(),
              first.timestampMicros(),
              last.timestampMicros(),
              group.size(),
              inputs.get(0)));
    } else {
      throw new IllegalStateException(
          "processor returned " + inputs.size() + " inputs for " + group.size() + " frames");
    }
  }
}
