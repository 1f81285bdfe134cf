package dev.vitrail.encoders.weights;

import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.LinearKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A tower's view of a checkpoint: tensors looked up by their name under one key prefix (e.g. {@code
 * vision_model.}), checked for shape, converted to the compute dtype and device.
 *
 * <p>Strict both ways: a missing tensor or a wrong shape fails at once, naming the key, the
 * expected and the found shape; {@link #finish()} fails when tensors under the prefix were neither
 * taken nor declared skippable. Tensors outside the prefix (text tower, LLM) are never read.
 */
public final class WeightMap {
  private final Checkpoint checkpoint;
  private final String prefix;
  private final ComputeTarget target;
  private final Set<String> taken = new HashSet<>();
  private final List<String> skippedSuffixes = new ArrayList<>();

  private WeightMap(Checkpoint checkpoint, String prefix, ComputeTarget target) {
    this.checkpoint = checkpoint;
    this.prefix = prefix;
    this.target = target;
  }

  /**
   * Binds the first of {@code prefixes} under which the checkpoint holds any tensor (e.g. {@code
   * "model.visual."}, {@code "visual."}); none matching is an error listing them.
   */
  public static WeightMap bind(Checkpoint checkpoint, ComputeTarget target, String... prefixes) {
    for (String p : prefixes) {
      for (String key : checkpoint.keys()) {
        if (key.startsWith(p)) {
          return new WeightMap(checkpoint, p, target);
        }
      }
    }
    throw new CheckpointException(
        "checkpoint holds no tensor under any of the prefixes " + Arrays.toString(prefixes));
  }

  /** The key prefix in use. */
  public String prefix() {
    return prefix;
  }

  /** The compute target tensors are placed on. */
  public ComputeTarget target() {
    return target;
  }

  /** Whether the checkpoint has {@code prefix + name}. */
  public boolean has(String name) {
    return checkpoint.entry(prefix + name) != null;
  }

  /**
   * Takes {@code prefix + name}, checks its shape and returns it in the compute dtype on the
   * device. The returned tensor is detached from every scope: the caller owns it and must close it.
   */
  public Tensor take(String name, long... shape) {
    String key = prefix + name;
    SafetensorsHeader.Entry e = checkpoint.entry(key);
    if (e == null) {
      throw new CheckpointException(
          "missing tensor '" + key + "' (expected shape " + Arrays.toString(shape) + ")");
    }
    if (!Arrays.equals(e.shape(), shape)) {
      throw new CheckpointException(
          "tensor '"
              + key
              + "' has shape "
              + Arrays.toString(e.shape())
              + ", expected "
              + Arrays.toString(shape));
    }
    taken.add(key);
    try (PointerScope scope = new PointerScope()) {
      Tensor placed = target.place(checkpoint.view(key));
      if (target.linearKernel() != LinearKernel.DENSE) {
        // int8 and oneDNN towers convert their linear weights: owning the few tensors left
        // (norms, embeddings) lets the checkpoint's mapping go instead of keeping it resident
        placed = placed.clone();
      }
      placed.retainReference();
      return placed;
    }
  }

  /**
   * Declares that tensors whose name ends with {@code suffix} (e.g. buffers) may be left unused.
   */
  public WeightMap skip(String suffix) {
    skippedSuffixes.add(suffix);
    return this;
  }

  /** Fails when the checkpoint holds tensors under the prefix that the tower did not take. */
  public void finish() {
    Set<String> unexpected = new TreeSet<>();
    for (String key : checkpoint.keys()) {
      if (key.startsWith(prefix)
          && !taken.contains(key)
          && skippedSuffixes.stream().noneMatch(key::endsWith)) {
        unexpected.add(key);
      }
    }
    if (!unexpected.isEmpty()) {
      throw new CheckpointException("unexpected tensors under '" + prefix + "': " + unexpected);
    }
  }

  /** Bytes of the stored tensors under the prefix. */
  public long storedBytes() {
    return checkpoint.bytes(prefix);
  }
}
