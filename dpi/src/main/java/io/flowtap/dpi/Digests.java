package io.flowtap.dpi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Message digests kept per thread, for digests taken once per flow or certificate: looking an
 * algorithm up in the security providers costs more than digesting a few dozen bytes.
 */
public final class Digests {
    private Digests() {}

    /**
     * A digest of {@code algorithm} per thread, which its users {@link MessageDigest#reset} or end
     * with {@link MessageDigest#digest()} (which resets it).
     *
     * @param algorithm one every Java platform provides (SHA-1, SHA-256)
     */
    public static ThreadLocal<MessageDigest> perThread(String algorithm) {
        return ThreadLocal.withInitial(
                () -> {
                    try {
                        return MessageDigest.getInstance(algorithm);
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException(
                                algorithm + " is a required JDK algorithm", e);
                    }
                });
    }
}
