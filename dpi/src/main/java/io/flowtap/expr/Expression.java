package io.flowtap.expr;

import java.io.Serializable;
import java.util.Objects;

/**
 * One Netify criteria expression, compiled once into a predicate over {@link FlowAttributes}.
 * docs/expressions.md describes the language.
 */
public final class Expression implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String text;
    private final Node node;

    private Expression(String text, Node node) {
        this.text = text;
        this.node = node;
    }

    /**
     * @throws ExpressionException naming the expression, the column and what is wrong
     */
    public static Expression compile(String text) {
        return compile(text, AddressGroups.NONE);
    }

    /**
     * @param groups the address groups {@code @name} may refer to
     * @throws ExpressionException naming the expression, the column and what is wrong
     */
    public static Expression compile(String text, AddressGroups groups) {
        Objects.requireNonNull(text, "text");
        return new Expression(text, Parser.parse(text, Objects.requireNonNull(groups)));
    }

    public boolean test(FlowAttributes flow) {
        return node.test(flow);
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
