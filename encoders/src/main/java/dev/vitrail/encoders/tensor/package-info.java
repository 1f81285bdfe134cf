/**
 * The only place besides the towers that touches libtorch: loading the natives, scopes, devices.
 */
package dev.vitrail.encoders.tensor;
