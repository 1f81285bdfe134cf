/** The benchmark harnesses by name ({@code vitrail bench NAME}), apart from the product modules. */
package dev.vitrail.bench;
