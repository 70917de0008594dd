package io.flowtap.cli;

/** A command line the tool cannot act on; the message is shown to the user as is. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
