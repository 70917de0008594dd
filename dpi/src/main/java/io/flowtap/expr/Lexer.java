package io.flowtap.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens, each with its column (1-based). */
final class Lexer {
    enum Type {
        LPAREN,
        RPAREN,
        NOT,
        AND,
        OR,
        SEMICOLON,
        STAR,
        COMPARE,
        STRING,
        WORD,
        END
    }

    record Token(Type type, String text, int column) {}

    private final String source;
    private int pos;

    private Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokens(String source) {
        return new Lexer(source).all();
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
                pos++;
            }
            if (pos >= source.length()) {
                out.add(new Token(Type.END, "", pos + 1));
                return out;
            }
            out.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = source.charAt(pos);
        String two = pos + 1 < source.length() ? source.substring(pos, pos + 2) : "";
        switch (two) {
            case "&&":
                pos += 2;
                return new Token(Type.AND, two, start + 1);
            case "||":
                pos += 2;
                return new Token(Type.OR, two, start + 1);
            case "==":
            case "!=":
            case ">=":
            case "<=":
                pos += 2;
                return new Token(Type.COMPARE, two, start + 1);
            default:
                break;
        }
        switch (c) {
            case '(':
                pos++;
                return new Token(Type.LPAREN, "(", start + 1);
            case ')':
                pos++;
                return new Token(Type.RPAREN, ")", start + 1);
            case '!':
                pos++;
                return new Token(Type.NOT, "!", start + 1);
            case ';':
                pos++;
                return new Token(Type.SEMICOLON, ";", start + 1);
            case '*':
                pos++;
                return new Token(Type.STAR, "*", start + 1);
            case '<':
            case '>':
                pos++;
                return new Token(Type.COMPARE, String.valueOf(c), start + 1);
            case '\'':
            case '"':
                return string(c);
            default:
                break;
        }
        if (!wordChar(c)) {
            throw new ExpressionException(
                    source, start + 1, "unexpected character '" + printable(c) + "'");
        }
        while (pos < source.length() && wordChar(source.charAt(pos))) {
            pos++;
        }
        String word = source.substring(start, pos);
        if (word.equalsIgnoreCase("and")) {
            return new Token(Type.AND, word, start + 1);
        }
        if (word.equalsIgnoreCase("or")) {
            return new Token(Type.OR, word, start + 1);
        }
        return new Token(Type.WORD, word, start + 1);
    }

    /** A quoted string; a backslash keeps the next character as it is. */
    private Token string(char quote) {
        int start = pos;
        pos++;
        StringBuilder b = new StringBuilder();
        while (pos < source.length()) {
            char c = source.charAt(pos++);
            if (c == quote) {
                return new Token(Type.STRING, b.toString(), start + 1);
            }
            if (c == '\\' && pos < source.length()) {
                char n = source.charAt(pos++);
                // Keep the backslash in front of anything but a quote: regexes need theirs.
                if (n != quote) {
                    b.append('\\');
                }
                b.append(n);
            } else {
                b.append(c);
            }
        }
        throw new ExpressionException(source, start + 1, "string not closed by " + quote);
    }

    static boolean wordChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == ':'
                || c == '/'
                || c == '-'
                || c == '@';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
