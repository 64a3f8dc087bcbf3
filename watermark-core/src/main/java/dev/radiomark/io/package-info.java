/**
 * Durable, atomic publication of files ({@link dev.radiomark.io.AtomicFiles}), shared by key
 * files and ledgers: a reader sees the old file or the complete new one, never a part, and a
 * published file survives a crash of the machine.
 */
package dev.radiomark.io;
