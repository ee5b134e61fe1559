package dev.muelle.engine.api;

/** A failure found while reading the HTTP request itself (before any service ran). */
final class ApiException extends RuntimeException {

    final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }
}
