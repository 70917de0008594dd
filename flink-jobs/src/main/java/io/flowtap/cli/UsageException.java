package io.flowtap.cli;

/** A command line the tool cannot act on; the message is shown to the user as is. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
