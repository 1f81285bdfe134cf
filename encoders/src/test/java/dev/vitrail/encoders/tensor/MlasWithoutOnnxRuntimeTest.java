package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The default build has no ONNX Runtime on its run-time class path: the encoders' classes must load
 * and answer without it, and only asking for the MLAS kernel may fail, saying why.
 */
class MlasWithoutOnnxRuntimeTest {
  @Test
  void theKernelSaysItNeedsTheProfileInsteadOfFailingToLoad() throws Exception {
    ClassLoader hidden = new WithoutOnnxRuntime(getClass().getClassLoader());
    Class<?> mlas = hidden.loadClass(MlasLinear.class.getName());
    assertEquals(hidden, mlas.getClassLoader(), "loaded apart from the test's own copy");
    assertEquals(false, mlas.getMethod("available").invoke(null));
    InvocationTargetException e =
        assertThrows(
            InvocationTargetException.class,
            () -> mlas.getMethod("create", Tensor.class, Tensor.class).invoke(null, null, null));
    IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertTrue(cause.getMessage().contains("-Pmlas"), cause.getMessage());
  }

  /** Defines this package's classes itself and refuses ONNX Runtime's; the rest from the parent. */
  private static final class WithoutOnnxRuntime extends ClassLoader {
    private static final String OWN = MlasLinear.class.getPackageName() + ".";

    WithoutOnnxRuntime(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("ai.onnxruntime.")) {
          throw new ClassNotFoundException(name);
        }
        if (!name.startsWith(OWN)) {
          return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String path = name.replace('.', '/') + ".class";
          try (InputStream in = getParent().getResourceAsStream(path)) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] b = in.readAllBytes();
            c = defineClass(name, b, 0, b.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
