/** Access to the golden fixture files (tiny checkpoints) for runtime tests. */
package dev.vitrail.runtime.golden;
