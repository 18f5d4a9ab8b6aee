package io.personalize.core.features.declared;

import dev.cel.common.CelSourceLocation;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Positions in a YAML file (1-based line and column), of a node and of a place inside a CEL
 * expression written as a scalar: CEL reports positions in the expression, problems name them in
 * the file.
 */
final class YamlPositions {
    private final List<String> lines;

    YamlPositions(String text) {
        this.lines = text.lines().toList();
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    static int column(Node node) {
        return node.getStartMark().getColumn() + 1;
    }

    /**
     * The file position of a CEL location ({@code at}: 1-based line, 0-based column) in a scalar:
     * after the opening quote of a quoted scalar, on the lines after the indicator of a block
     * scalar ({@code |}, {@code >}; folded lines are taken as written).
     */
    int[] of(ScalarNode scalar, CelSourceLocation at) {
        int celLine = Math.max(at.getLine(), 1);
        int celColumn = Math.max(at.getColumn(), 0);
        int line = line(scalar);
        int column = column(scalar);
        DumperOptions.ScalarStyle style = scalar.getScalarStyle();
        if (style == DumperOptions.ScalarStyle.LITERAL
                || style == DumperOptions.ScalarStyle.FOLDED) {
            int contentLine = line + celLine; // the indicator's line is not content
            return new int[] {contentLine, indent(contentLine) + celColumn + 1};
        }
        if (style == DumperOptions.ScalarStyle.SINGLE_QUOTED
                || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
            column++;
        }
        if (celLine == 1) {
            return new int[] {line, column + celColumn};
        }
        int where = line + celLine - 1;
        return new int[] {where, indent(where) + celColumn + 1};
    }

    private int indent(int line) {
        if (line < 1 || line > lines.size()) {
            return 0;
        }
        String text = lines.get(line - 1);
        int i = 0;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
