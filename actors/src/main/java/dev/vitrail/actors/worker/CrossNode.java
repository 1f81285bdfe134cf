package dev.vitrail.actors.worker;

/**
 * Marks messages that travel between cluster nodes; bound to Pekko's {@code jackson-cbor}
 * serializer in this module's {@code reference.conf}. Their payloads ({@code PixelInput}, {@code
 * FeatureSpec}, {@code FeatureOutput}) are plain records with arrays, serialized as fields.
 */
public interface CrossNode {}
