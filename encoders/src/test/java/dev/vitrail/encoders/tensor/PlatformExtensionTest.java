package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/** The CPU build loads libtorch without JavaCPP's CUDA preload attempts. */
class PlatformExtensionTest {
  @Test
  void theCpuBuildLoadsWithNoExtensionAndNoCudaLibrary() throws Exception {
    NativeTorch.load();
    assumeFalse(NativeTorch.cudaNatives(), "the -Pgpu build keeps its -gpu extension");
    assertEquals("", System.getProperty(PlatformExtension.PROPERTY));
    assertEquals("", Loader.loadProperties().getProperty("platform.extension"));
    // Machines with a CUDA toolkit had its runtime and CUPTI loaded by the -gpu preloads.
    String maps = Files.readString(Path.of("/proc/self/maps"));
    for (String cuda : new String[] {"libcudart", "libcupti", "libcublas", "libcudnn"}) {
      assertFalse(maps.contains(cuda), cuda + " is mapped");
    }
    NativeTorch.configureThreads(1, 1); // libtorch is usable
  }

  @Test
  void theGpuBuildOrAUsersExtensionIsLeftAsItIs() {
    String before = System.getProperty(PlatformExtension.PROPERTY);
    try {
      System.clearProperty(PlatformExtension.PROPERTY);
      assertFalse(PlatformExtension.noneForCpuBuild(true));
      assertEquals(null, System.getProperty(PlatformExtension.PROPERTY));
      System.setProperty(PlatformExtension.PROPERTY, "-gpu");
      assertFalse(PlatformExtension.noneForCpuBuild(false));
      assertEquals("-gpu", System.getProperty(PlatformExtension.PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(PlatformExtension.PROPERTY);
      } else {
        System.setProperty(PlatformExtension.PROPERTY, before);
      }
    }
  }
}
