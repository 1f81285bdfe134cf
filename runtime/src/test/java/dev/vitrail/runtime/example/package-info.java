/** The README's embedding example, compiled and run as a test. */
package dev.vitrail.runtime.example;
