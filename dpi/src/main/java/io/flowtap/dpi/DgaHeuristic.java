package io.flowtap.dpi;

/**
 * Whether a domain name looks machine-generated (a domain generation algorithm): its longest label
 * is long, has high character entropy and few vowels or long consonant runs. A heuristic with
 * documented thresholds, not a classifier; names under common infrastructure suffixes are left
 * alone.
 */
public final class DgaHeuristic {
    private static final int MIN_LABEL = 12;
    private static final double MIN_ENTROPY_BITS = 3.5;
    private static final int CONSONANT_RUN = 6;

    private DgaHeuristic() {}

    public static boolean looksGenerated(String host) {
        // The label before the last (trailing dots ignored, as a split on dots drops them),
        // found without splitting: this runs for every flow with a host name.
        int end = host.length();
        while (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        int lastDot = host.lastIndexOf('.', end - 1);
        if (lastDot < 0 || host.endsWith(".arpa") || host.endsWith(".local")) {
            return false;
        }
        // The registrable part is what an algorithm generates: the label before the TLD.
        int start = host.lastIndexOf('.', lastDot - 1) + 1;
        int length = lastDot - start;
        if (length < MIN_LABEL) {
            return false;
        }
        int digits = 0;
        int vowels = 0;
        int run = 0;
        int longestRun = 0;
        int[] counts = new int[128];
        for (int i = start; i < lastDot; i++) {
            char c = host.charAt(i);
            if (c >= 128) {
                return false;
            }
            counts[c]++;
            if (c >= '0' && c <= '9') {
                digits++;
                run = 0;
            } else if ("aeiouy".indexOf(c) >= 0) {
                vowels++;
                run = 0;
            } else if (c >= 'a' && c <= 'z') {
                run++;
                longestRun = Math.max(longestRun, run);
            } else {
                run = 0;
            }
        }
        double entropy = 0;
        for (int n : counts) {
            if (n > 0) {
                double p = (double) n / length;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        double vowelShare = (double) vowels / length;
        return entropy >= MIN_ENTROPY_BITS
                && (longestRun >= CONSONANT_RUN || vowelShare < 0.2 || digits >= 4);
    }
}
