/**
 * The distillation experiment behind {@code wm demo} (teacher, students, verification, report)
 * and {@code wm generate}.
 */
package dev.radiomark.examples.demo;
