/** Writing features as safetensors files and bodies (one F32 tensor per input). */
package dev.vitrail.runtime.safetensors;
