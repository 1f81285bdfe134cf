package dev.vitrail.encoders.tensor;

import java.lang.reflect.Method;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * {@code cudaGetDeviceProperties} through the Bytedeco CUDA presets, called reflectively: the
 * presets are only on the class path of the {@code -Pgpu} build, so the default build compiles and
 * runs without any CUDA class.
 */
final class CudaProperties {
  private static volatile String failure = "";

  private CudaProperties() {}

  /** The properties of device {@code index}, or empty (see {@link #failure()}). */
  static Optional<CudaDevice> query(int index) {
    try {
      Class<?> cudart = Class.forName("org.bytedeco.cuda.global.cudart");
      Class<?> propClass = Class.forName("org.bytedeco.cuda.cudart.cudaDeviceProp");
      Method get = cudart.getMethod("cudaGetDeviceProperties", propClass, int.class);
      try (Pointer prop = (Pointer) propClass.getConstructor().newInstance()) {
        int rc = (int) get.invoke(null, prop, index);
        if (rc != 0) {
          failure = "cudaGetDeviceProperties(" + index + ") returned CUDA error " + rc;
          return Optional.empty();
        }
        String name = ((BytePointer) propClass.getMethod("name").invoke(prop)).getString().trim();
        long total = (long) propClass.getMethod("totalGlobalMem").invoke(prop);
        int major = (int) propClass.getMethod("major").invoke(prop);
        int minor = (int) propClass.getMethod("minor").invoke(prop);
        return Optional.of(new CudaDevice(index, name, total, major * 10 + minor));
      }
    } catch (ClassNotFoundException e) {
      failure = "the Bytedeco CUDA presets are not on the class path";
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      failure = "the CUDA runtime could not be asked: " + cause;
    }
    return Optional.empty();
  }

  /** Why the last query failed. */
  static String failure() {
    return failure;
  }
}
