/**
 * One encoder tower split across the cores of one process (tensor parallelism): every thread owns a
 * slice of every layer's heads and MLP columns and multiplies it on one core.
 */
package dev.vitrail.encoders.split;
