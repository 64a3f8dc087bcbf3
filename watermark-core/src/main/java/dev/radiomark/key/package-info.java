/**
 * Key material: {@link dev.radiomark.key.WatermarkKey} (generation, tenant and epoch derivation
 * with HMAC-SHA256, constant-time comparison, redacted {@code toString}) and versioned key files
 * written with owner-only permissions. There is no default key anywhere in this library.
 */
package dev.radiomark.key;
