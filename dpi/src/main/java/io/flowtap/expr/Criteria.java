package io.flowtap.expr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A list of expressions that matches a flow when any of them does; an empty list matches all. */
public final class Criteria implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No criteria: every flow. */
    public static final Criteria ALL = new Criteria(List.of());

    private final List<Expression> expressions;

    private Criteria(List<Expression> expressions) {
        this.expressions = expressions;
    }

    /**
     * @throws ExpressionException for the first expression that does not compile
     */
    public static Criteria compile(List<String> expressions, AddressGroups groups) {
        List<Expression> out = new ArrayList<>();
        for (String e : expressions) {
            out.add(Expression.compile(e, groups));
        }
        return of(out);
    }

    /** Criteria of expressions compiled already. */
    public static Criteria of(List<Expression> expressions) {
        return new Criteria(List.copyOf(expressions));
    }

    public boolean test(FlowAttributes flow) {
        if (expressions.isEmpty()) {
            return true;
        }
        for (Expression e : expressions) {
            if (e.test(flow)) {
                return true;
            }
        }
        return false;
    }

    public List<Expression> expressions() {
        return expressions;
    }
}
