package dev.vitrail.encoders.sharding;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** A vision model with 2-D rotary positions (Kimi-VL / MoonViT style), one output per image. */
@FunctionalInterface
public interface Rope2dModel {
  /**
   * @param pixelValues {@code [sum of h*w, C]}, the images' rows one after the other
   * @param gridHw int64 {@code [k, 2]} of {@code (h, w)} per image
   * @return per image {@code [h*w / (kh*kw), kh*kw, hidden]}
   */
  List<Tensor> forward(Tensor pixelValues, Tensor gridHw);
}
