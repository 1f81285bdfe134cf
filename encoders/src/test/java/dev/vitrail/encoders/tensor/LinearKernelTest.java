package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearKernelTest {
  @Test
  void settingsNameTheKernelsInAnyCase() {
    assertEquals(LinearKernel.DENSE, LinearKernel.named("dense", "X"));
    assertEquals(LinearKernel.ONEDNN, LinearKernel.named(" OneDNN ", "X"));
    assertEquals(LinearKernel.MLAS, LinearKernel.named("MLAS", "X"));
  }

  @Test
  void theSettingIsCheckedAndNamesTheKernelAskedFor() {
    assertThrows(IllegalArgumentException.class, () -> ComputeTarget.selectLinearKernel("xnnpack"));
    try {
      ComputeTarget.selectLinearKernel("onednn");
      assertEquals(LinearKernel.ONEDNN, ComputeTarget.linearKernelAskedFor());
    } finally {
      ComputeTarget.selectLinearKernel("auto");
    }
    assertNull(ComputeTarget.linearKernelAskedFor(), "auto asks for none");
  }

  @Test
  void anOtherNameIsRefusedWithTheChoices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearKernel.named("int8", "VITRAIL_LINEAR_KERNEL"));
    assertTrue(
        e.getMessage().equals("VITRAIL_LINEAR_KERNEL must be dense, onednn or mlas, got 'int8'"),
        e.getMessage());
  }
}
