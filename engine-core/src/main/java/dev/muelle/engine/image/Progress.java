package dev.muelle.engine.image;

import java.util.Map;

/**
 * One progress event of a pull, push or load, in the terms of Docker's JSON message stream:
 * a line of status ({@code Digest: sha256:…}), a layer's state ({@code Pull complete}, keyed by
 * the layer's short ID), a layer's byte counts ({@code Downloading 3/10}), or an auxiliary result
 * ({@code {"Tag":…,"Digest":…,"Size":…}} after a push). The API layer renders it.
 */
public record Progress(Kind kind, String id, String status, long current, long total, Map<String, Object> aux) {

    public enum Kind { MESSAGE, LAYER, BYTES, AUX }

    /** A status line, optionally about {@code id} ({@code "Pulling from app"} with id {@code latest}). */
    public static Progress message(String id, String status) {
        return new Progress(Kind.MESSAGE, id, status, 0, 0, null);
    }

    public static Progress message(String status) {
        return message(null, status);
    }

    /** A layer's new state: {@code Pulling fs layer}, {@code Already exists}, {@code Pushed}… */
    public static Progress layer(String id, String status) {
        return new Progress(Kind.LAYER, id, status, 0, 0, null);
    }

    /** A layer's transfer: {@code current} of {@code total} bytes. */
    public static Progress bytes(String id, String status, long current, long total) {
        return new Progress(Kind.BYTES, id, status, current, total, null);
    }

    public static Progress aux(Map<String, Object> aux) {
        return new Progress(Kind.AUX, null, null, 0, 0, Map.copyOf(aux));
    }
}
