package dev.muelle.desktop.engine;

/** A file read from a volume and the version it had ({@code ETag}), to save an edit against. */
public record FileContent(byte[] bytes, String etag) {
}
