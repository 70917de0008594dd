package io.flowtap.expr;

import io.flowtap.expr.Attribute.Kind;
import io.flowtap.expr.Lexer.Token;
import io.flowtap.expr.Lexer.Type;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over the tokens of one expression:
 *
 * <pre>
 * expression := or [';'] END
 * or         := and (('||' | 'or') and)*
 * and        := unary (('&amp;&amp;' | 'and') unary)*
 * unary      := '!' unary | primary
 * primary    := '(' or ')' | '*' | compact | attribute compare value | flag
 * compact    := ('ai:' | 'pi:' | 'ac:' | 'pc:') id-or-tag
 * </pre>
 */
final class Parser {
    /** Deeper nesting than any real expression; stops a hostile one from exhausting the stack. */
    private static final int MAX_DEPTH = 64;

    private static final Set<String> OTHER_TYPES =
            Set.of("local", "remote", "broadcast", "multicast", "unsupported", "error", "unknown");
    private static final Set<String> ORIGINS = Set.of("local", "other", "unknown");

    private final String source;
    private final List<Token> tokens;
    private final AddressGroups groups;
    private int next;
    private int depth;

    private Parser(String source, AddressGroups groups) {
        this.source = source;
        this.tokens = Lexer.tokens(source);
        this.groups = groups;
    }

    static Node parse(String source, AddressGroups groups) {
        Parser p = new Parser(source, groups);
        Node n = p.or();
        if (p.peek().type() == Type.SEMICOLON) {
            p.next++;
        }
        Token end = p.peek();
        if (end.type() != Type.END) {
            throw p.error(end, "unexpected '" + end.text() + "'" + p.hint(end));
        }
        return n;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.type() != Type.END) {
            next++;
        }
        return t;
    }

    private ExpressionException error(Token at, String reason) {
        return new ExpressionException(source, at.column(), reason);
    }

    private String hint(Token t) {
        return t.type() == Type.WORD || t.type() == Type.STRING
                ? "; join conditions with && or ||"
                : "";
    }

    private Node or() {
        Node n = and();
        while (peek().type() == Type.OR) {
            take();
            Node l = n;
            Node r = and();
            n = f -> l.test(f) || r.test(f);
        }
        return n;
    }

    private Node and() {
        Node n = unary();
        while (peek().type() == Type.AND) {
            take();
            Node l = n;
            Node r = unary();
            n = f -> l.test(f) && r.test(f);
        }
        return n;
    }

    private Node unary() {
        if (peek().type() == Type.NOT) {
            Token not = take();
            enter(not);
            Node inner = unary();
            depth--;
            return f -> !inner.test(f);
        }
        return primary();
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error(at, "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private Node primary() {
        Token t = take();
        switch (t.type()) {
            case LPAREN:
                enter(t);
                Node n = or();
                Token close = take();
                if (close.type() != Type.RPAREN) {
                    throw error(close, "')' expected to close the '(' at column " + t.column());
                }
                depth--;
                return n;
            case STAR:
                return f -> true;
            case WORD:
                return attributeOrCompact(t);
            case END:
                throw error(t, "the expression ends where a condition was expected");
            default:
                throw error(t, "a condition was expected, not '" + t.text() + "'");
        }
    }

    private Node attributeOrCompact(Token t) {
        String w = t.text();
        int colon = w.indexOf(':');
        if (colon == 2) {
            Attribute a = compactAttribute(w.substring(0, 2).toLowerCase(Locale.ROOT));
            if (a != null) {
                String value = w.substring(3);
                if (value.isEmpty()) {
                    throw error(t, "'" + w + "' names no application, protocol or category");
                }
                return named(a, "==", value, t, t);
            }
        }
        Attribute a = Attribute.named(w);
        if (a == null) {
            throw error(t, "unknown attribute '" + w + "'");
        }
        if (peek().type() != Type.COMPARE) {
            if (a.kind == Kind.FLAG) {
                return a::flag;
            }
            throw error(
                    peek(),
                    a.displayName() + " needs a comparison, e.g. " + a.displayName() + " == ...");
        }
        Token op = take();
        Token value = take();
        if (value.type() != Type.WORD && value.type() != Type.STRING) {
            throw error(value, "a value was expected after '" + op.text() + "'");
        }
        return comparison(a, op, value);
    }

    private static Attribute compactAttribute(String prefix) {
        switch (prefix) {
            case "ai":
                return Attribute.APPLICATION;
            case "pi":
                return Attribute.PROTOCOL;
            case "ac":
                return Attribute.APPLICATION_CATEGORY;
            case "pc":
                return Attribute.PROTOCOL_CATEGORY;
            default:
                return null;
        }
    }

    private Node comparison(Attribute a, Token op, Token value) {
        String o = op.text();
        boolean quoted = value.type() == Type.STRING;
        String v = value.text();
        switch (a.kind) {
            case INTEGER:
                return numeric(a, o, number(value, a), op);
            case FLAG:
                {
                    equalityOnly(a, op);
                    boolean b = bool(value, a);
                    boolean eq = o.equals("==");
                    return f -> (a.flag(f) == b) == eq;
                }
            case STRING:
                if (!quoted) {
                    throw notAValue(value, a);
                }
                return text(a, op, value, o, v);
            case ADDRESS:
                return address(a, op, value);
            case MAC:
                return mac(a, op, value);
            case OTHER_TYPE:
                return constant(a, op, value, "other_", OTHER_TYPES);
            case ORIGIN:
                return constant(a, op, value, "origin_", ORIGINS);
            default:
                if (!quoted && !Literals.decimal(v)) {
                    throw notAValue(value, a);
                }
                return named(a, o, v, op, value);
        }
    }

    /** An application, protocol or category: by id (a number, or {@code <id>.<tag>}) or by tag. */
    private Node named(Attribute a, String o, String v, Token op, Token at) {
        int dot = v.indexOf('.');
        String id = null;
        if (Literals.decimal(v)) {
            id = v;
        } else if (dot > 0 && Literals.decimal(v.substring(0, dot))) {
            id = v.substring(0, dot); // <id>.<tag>, as detected_application_name writes it
        }
        if (id != null) {
            return numeric(a, o, parseNumber(id, at), at);
        }
        if (v.startsWith("rx:")) {
            return text(a, op, at, o, v);
        }
        if (!o.equals("==") && !o.equals("!=")) {
            throw error(op, a.displayName() + " compares names with == or != only");
        }
        boolean eq = o.equals("==");
        return f -> a.text(f).equalsIgnoreCase(v) == eq;
    }

    /** Equality (case-insensitive) or, with {@code rx:}, a regular expression found in it. */
    private Node text(Attribute a, Token op, Token at, String o, String v) {
        if (!o.equals("==") && !o.equals("!=")) {
            throw error(op, a.displayName() + " compares strings with == or != only");
        }
        boolean eq = o.equals("==");
        if (v.startsWith("rx:")) {
            Pattern p;
            try {
                p = Pattern.compile(v.substring(3));
            } catch (PatternSyntaxException e) {
                throw error(at, "not a regular expression: " + e.getDescription());
            }
            return f -> p.matcher(a.text(f)).find() == eq;
        }
        return f -> a.text(f).equalsIgnoreCase(v) == eq;
    }

    private Node numeric(Attribute a, String o, long n, Token at) {
        switch (o) {
            case "==":
                return f -> a.number(f) == n;
            case "!=":
                return f -> a.number(f) != n;
            case "<":
                return f -> a.number(f) < n;
            case "<=":
                return f -> a.number(f) <= n;
            case ">":
                return f -> a.number(f) > n;
            case ">=":
                return f -> a.number(f) >= n;
            default:
                throw error(at, "unknown comparison '" + o + "'");
        }
    }

    private Node address(Attribute a, Token op, Token value) {
        equalityOnly(a, op);
        boolean eq = op.text().equals("==");
        String v = value.text();
        if (value.type() == Type.WORD && v.startsWith("@")) {
            AddressGroups.Group g = group(value);
            return f -> g.containsAddress(a.bytes(f)) == eq;
        }
        Literals.Network n = Literals.network(v);
        if (n == null) {
            throw error(
                    value, "'" + v + "' is not an IP address or network (a.b.c.d[/n], IPv6[/n])");
        }
        return f -> n.contains(a.bytes(f)) == eq;
    }

    private Node mac(Attribute a, Token op, Token value) {
        equalityOnly(a, op);
        boolean eq = op.text().equals("==");
        String v = value.text();
        if (value.type() == Type.WORD && v.startsWith("@")) {
            AddressGroups.Group g = group(value);
            return f -> g.containsMac(a.bytes(f)) == eq;
        }
        byte[] m = Literals.mac(v);
        if (m == null) {
            throw error(value, "'" + v + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
        return f -> Arrays.equals(a.bytes(f), m) == eq;
    }

    private AddressGroups.Group group(Token value) {
        AddressGroups.Group g = groups.get(value.text().substring(1));
        if (g == null) {
            throw error(value, "unknown address group '" + value.text() + "'");
        }
        return g;
    }

    private Node constant(Attribute a, Token op, Token value, String prefix, Set<String> known) {
        equalityOnly(a, op);
        String v = value.text().toLowerCase(Locale.ROOT);
        String name = null;
        if (value.type() == Type.WORD && v.startsWith(prefix)) {
            name = v.substring(prefix.length());
        } else if (value.type() == Type.STRING) {
            name = v;
        }
        if (name == null || !known.contains(name)) {
            throw error(
                    value,
                    a.displayName()
                            + " takes "
                            + prefix
                            + String.join(", " + prefix, known.stream().sorted().toList()));
        }
        boolean eq = op.text().equals("==");
        String wanted = name;
        return f -> wanted.equals(a.text(f)) == eq;
    }

    private void equalityOnly(Attribute a, Token op) {
        if (!op.text().equals("==") && !op.text().equals("!=")) {
            throw error(op, a.displayName() + " takes == or != only, not '" + op.text() + "'");
        }
    }

    private long number(Token value, Attribute a) {
        String v = value.text();
        if (value.type() != Type.WORD) {
            throw error(value, a.displayName() + " takes a number, not a string");
        }
        if (v.length() > 2 && (v.startsWith("0x") || v.startsWith("0X"))) {
            String hex = v.substring(2);
            if (hex.length() > 15 || !hex.chars().allMatch(c -> Literals.hex((char) c) >= 0)) {
                throw error(value, "'" + v + "' is not a hex number");
            }
            return Long.parseLong(hex, 16);
        }
        if (!Literals.decimal(v)) {
            throw error(value, a.displayName() + " takes a number, not '" + v + "'");
        }
        return parseNumber(v, value);
    }

    private long parseNumber(String v, Token at) {
        if (v.length() > 18) {
            throw error(at, "number '" + v + "' is out of range");
        }
        return Long.parseLong(v);
    }

    private boolean bool(Token value, Attribute a) {
        String v = value.text().toLowerCase(Locale.ROOT);
        if (value.type() == Type.WORD && (v.equals("true") || v.equals("false"))) {
            return v.equals("true");
        }
        throw error(value, a.displayName() + " takes true or false");
    }

    private ExpressionException notAValue(Token value, Attribute a) {
        return error(
                value,
                "'"
                        + value.text()
                        + "' is not a value of "
                        + a.displayName()
                        + ": quote strings ('...'), use a number, or 'rx:...' for a regular"
                        + " expression");
    }
}
