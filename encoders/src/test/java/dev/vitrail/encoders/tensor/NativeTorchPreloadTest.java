package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

/** Loading libtorch on a background thread at start-up, as the CLI does. */
class NativeTorchPreloadTest {
  @Test
  void aBackgroundLoadIsTheOneLoadAndAnMklSettingIsStillRefusedClearly() {
    assumeFalse(BlasLibrary.mklAvailable(), "the early load is only made without the MKL natives");
    NativeTorch.loadInBackground();
    NativeTorch.loadInBackground(); // a second call while (or after) loading changes nothing
    assertEquals(BlasLibrary.OPENBLAS, NativeTorch.blas()); // waits for the background load
    NativeTorch.selectBlas("auto");
    NativeTorch.selectBlas("openblas");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> NativeTorch.selectBlas("mkl"));
    assertTrue(e.getMessage().contains("build with the Maven profile 'mkl'"), e.getMessage());
    NativeTorch.configureThreads(1, 1); // libtorch is usable
  }
}
