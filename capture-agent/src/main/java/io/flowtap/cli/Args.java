package io.flowtap.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options, some repeatable. */
public final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    public static Args parse(List<String> argv, Set<String> withValue, Set<String> flags)
            throws UsageException {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (withValue.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    v = argv.get(++i);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            } else if (flags.contains(name) && inline == null) {
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else {
                throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return a;
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public String one(String name, String fallback) throws UsageException {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new UsageException("option " + name + " given more than once");
        }
        return v.isEmpty() ? fallback : v.get(0);
    }

    public String required(String name) throws UsageException {
        String v = one(name, null);
        if (v == null) {
            throw new UsageException("missing required option " + name);
        }
        return v;
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public int positiveInt(String name, int fallback) throws UsageException {
        return intAtLeast(name, fallback, 1, "a positive integer");
    }

    public int nonNegativeInt(String name, int fallback) throws UsageException {
        return intAtLeast(name, fallback, 0, "an integer of 0 or more");
    }

    private int intAtLeast(String name, int fallback, int min, String what) throws UsageException {
        String v = one(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be " + what + ", not '" + v + "'");
        }
    }

    /** A number that is zero or more, e.g. a replay speed. */
    public double nonNegativeDouble(String name, double fallback) throws UsageException {
        String v = one(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number of 0 or more, not '" + v + "'");
        }
    }

    /** Every {@code key=value} given for a repeatable option, in order. */
    public Map<String, String> keyValues(String name) throws UsageException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : all(name)) {
            int eq = v.indexOf('=');
            if (eq < 1) {
                throw new UsageException(name + " takes key=value, not '" + v + "'");
            }
            out.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return out;
    }
}
