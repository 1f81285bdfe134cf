package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class ThreadSettingsTest {
  @Test
  void threadPoolsCanBeResetWithinOneJvm() {
    NativeTorch.configureThreads(1, 2);
    NativeTorch.configureThreads(2, 1);
    assertEquals(2, torch.get_num_threads());
    NativeTorch.configureThreads(1, 1);
    assertEquals(1, torch.get_num_threads());
  }
}
