package dev.vitrail.runtime.cli;

import java.nio.file.Path;

/**
 * An image file to encode and the tensor name its features get.
 *
 * @param name the path relative to the folder it was found in ({@code /}-separated), or the file
 *     name
 * @param path the file
 */
record ImageFile(String name, Path path) {}
