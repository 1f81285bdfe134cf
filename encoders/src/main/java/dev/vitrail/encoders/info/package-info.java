/** Token counts, image geometry and M-RoPE positions per vision family: pure arithmetic. */
package dev.vitrail.encoders.info;
