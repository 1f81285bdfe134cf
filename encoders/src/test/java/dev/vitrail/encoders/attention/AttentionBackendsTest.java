package dev.vitrail.encoders.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttentionBackendsTest {
  private static final PlatformFacts CPU = PlatformFacts.cpu("f32", 64);
  private static final PlatformFacts A100_BF16 = new PlatformFacts(true, 80, "bf16", 64);
  private static final PlatformFacts A100_F32 = new PlatformFacts(true, 80, "f32", 64);
  private static final PlatformFacts T4_F16 = new PlatformFacts(true, 75, "f16", 64);

  private static AttentionBackends env(String value) {
    Map<String, String> vars = value == null ? Map.of() : Map.of(AttentionBackends.ENV_VAR, value);
    return new AttentionBackends(vars::get);
  }

  @Test
  void platformDefaults() {
    assertEquals(AttentionBackend.TORCH_SDPA, env(null).choose(null, CPU));
    assertEquals(AttentionBackend.FLASH_ATTN, env(null).choose(null, A100_BF16));
    assertEquals(AttentionBackend.MEM_EFFICIENT, env(null).choose(null, A100_F32));
    assertEquals(AttentionBackend.MEM_EFFICIENT, env(null).choose(null, T4_F16));
    assertEquals(
        AttentionBackend.MEM_EFFICIENT,
        env(null).choose(null, new PlatformFacts(true, 90, "bf16", 72 + 1)));
  }

  @Test
  void environmentBeatsDefaultAndOverrideBeatsEnvironment() {
    assertEquals(AttentionBackend.MATH, env("math").choose(null, A100_BF16));
    assertEquals(AttentionBackend.MATH, env(" MATH ").choose("", CPU));
    assertEquals(AttentionBackend.TORCH_SDPA, env("MATH").choose("torch_sdpa", CPU));
    assertEquals(AttentionBackend.TORCH_SDPA, env("  ").choose(null, CPU));
  }

  @Test
  void unknownNamesListTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> env(null).choose("xformers", CPU));
    assertTrue(
        e.getMessage().contains("xformers")
            && e.getMessage().contains("TORCH_SDPA, FLASH_ATTN, MEM_EFFICIENT, MATH"),
        e.getMessage());
    IllegalArgumentException fromEnv =
        assertThrows(IllegalArgumentException.class, () -> env("FLASH").choose(null, CPU));
    assertTrue(fromEnv.getMessage().contains(AttentionBackends.ENV_VAR), fromEnv.getMessage());
  }

  @Test
  void namedBackendsTheDeviceCannotRunAreErrors() {
    assertThrows(IllegalArgumentException.class, () -> env(null).choose("FLASH_ATTN", CPU));
    assertThrows(IllegalArgumentException.class, () -> env(null).choose("FLASH_ATTN", T4_F16));
    assertThrows(IllegalArgumentException.class, () -> env("MEM_EFFICIENT").choose(null, CPU));
    assertEquals(AttentionBackend.MATH, env(null).choose("MATH", A100_BF16));
  }

  @Test
  void rejectsBadFacts() {
    assertThrows(IllegalArgumentException.class, () -> new PlatformFacts(true, 0, "f32", 64));
    assertThrows(IllegalArgumentException.class, () -> PlatformFacts.cpu("f64", 64));
    assertThrows(IllegalArgumentException.class, () -> PlatformFacts.cpu("f32", 0));
  }
}
