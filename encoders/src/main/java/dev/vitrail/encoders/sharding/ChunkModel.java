package dev.vitrail.encoders.sharding;

import org.bytedeco.pytorch.Tensor;

/** A vision model over a batch of equally shaped chunks: {@code [n, ...] -> [n, ...]}. */
@FunctionalInterface
public interface ChunkModel {
  /** Runs the model on one rank's chunks. */
  Tensor forward(Tensor chunks);
}
