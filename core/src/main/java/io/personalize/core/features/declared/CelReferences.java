package io.personalize.core.features.declared;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import java.util.Set;
import java.util.TreeSet;

/** The variables an expression reads: the features a derived feature depends on. */
final class CelReferences {
    private CelReferences() {}

    static Set<String> identifiers(CelAbstractSyntaxTree ast) {
        Set<String> names = new TreeSet<>();
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .filter(node -> node.getKind() == CelExpr.ExprKind.Kind.IDENT)
                .forEach(node -> names.add(node.expr().ident().name()));
        return names;
    }
}
