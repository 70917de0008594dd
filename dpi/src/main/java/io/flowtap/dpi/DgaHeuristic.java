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
        String[] labels = host.split("\\.");
        if (labels.length < 2 || host.endsWith(".arpa") || host.endsWith(".local")) {
            return false;
        }
        // The registrable part is what an algorithm generates: the label before the TLD.
        String label = labels[labels.length - 2];
        if (label.length() < MIN_LABEL) {
            return false;
        }
        int digits = 0;
        int vowels = 0;
        int run = 0;
        int longestRun = 0;
        int[] counts = new int[128];
        for (char c : label.toCharArray()) {
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
                double p = (double) n / label.length();
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        double vowelShare = (double) vowels / label.length();
        return entropy >= MIN_ENTROPY_BITS
                && (longestRun >= CONSONANT_RUN || vowelShare < 0.2 || digits >= 4);
    }
}
