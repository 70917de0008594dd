package io.flowtap.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options, some repeatable. */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    static Args parse(List<String> argv, Set<String> withValue, Set<String> flags)
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

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String one(String name, String fallback) throws UsageException {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new UsageException("option " + name + " given more than once");
        }
        return v.isEmpty() ? fallback : v.get(0);
    }

    String required(String name) throws UsageException {
        String v = one(name, null);
        if (v == null) {
            throw new UsageException("missing required option " + name);
        }
        return v;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    int positiveInt(String name, int fallback) throws UsageException {
        String v = one(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a positive integer, not '" + v + "'");
        }
    }
}
