package dev.ancla.embed;

/**
 * What identifies an embedding model.
 *
 * @param name human name, e.g. {@code all-minilm-l6-v2-q}
 * @param dimension vector length
 * @param maxTokens longest input in tokens, special tokens included
 * @param fingerprint hash of model file + pooling + dimension; vectors are comparable only between
 *     equal fingerprints
 */
public record ModelInfo(String name, int dimension, int maxTokens, String fingerprint) {}
