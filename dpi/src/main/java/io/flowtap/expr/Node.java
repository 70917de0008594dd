package io.flowtap.expr;

import java.io.Serializable;

/** A compiled expression, or a part of one. */
@FunctionalInterface
interface Node extends Serializable {
    boolean test(FlowAttributes flow);
}
