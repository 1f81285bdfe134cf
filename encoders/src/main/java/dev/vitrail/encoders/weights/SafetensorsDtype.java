package dev.vitrail.encoders.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The element types of the safetensors format, with their sizes in bytes. */
public enum SafetensorsDtype {
  BOOL(1),
  U8(1),
  I8(1),
  F8_E5M2(1),
  F8_E4M3(1),
  I16(2),
  U16(2),
  F16(2),
  BF16(2),
  I32(4),
  U32(4),
  F32(4),
  F64(8),
  I64(8),
  U64(8);

  private final int byteSize;

  SafetensorsDtype(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Looks a header dtype string up, e.g. {@code "F32"}; an unknown one lists the valid names. */
  public static SafetensorsDtype of(String name) {
    for (SafetensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new SafetensorsException(
        "unknown safetensors dtype '"
            + name
            + "'; valid dtypes: "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
  }
}
