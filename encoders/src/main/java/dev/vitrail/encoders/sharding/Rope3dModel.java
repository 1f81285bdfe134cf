package dev.vitrail.encoders.sharding;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * A vision model with 3-D rotary positions (Qwen2.5-VL style): patch rows of several images in,
 * merged embeddings out.
 */
@FunctionalInterface
public interface Rope3dModel {
  /**
   * @param pixelValues {@code [sum of t*h*w, C]}, the images' rows one after the other
   * @param gridThw one {@code [t, h, w]} per image, in the same order
   * @return {@code [rows / spatial_merge_size^2, out_hidden]}
   */
  Tensor forward(Tensor pixelValues, List<long[]> gridThw);
}
