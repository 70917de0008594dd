package io.flowtap.expr;

/** An expression that cannot be compiled: what is wrong, and at which column (1-based). */
public final class ExpressionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String expression;
    private final int column;
    private final String reason;

    ExpressionException(String expression, int column, String reason) {
        super("\"" + expression + "\": column " + column + ": " + reason);
        this.expression = expression;
        this.column = column;
        this.reason = reason;
    }

    public String expression() {
        return expression;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
