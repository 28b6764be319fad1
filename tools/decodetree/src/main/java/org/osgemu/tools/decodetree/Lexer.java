package org.osgemu.tools.decodetree;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a decode spec into logical lines of whitespace-separated tokens.
 *
 * <p>{@code #} starts a comment that runs to the end of the physical line; a
 * backslash ending a physical line joins the next one to it. The group
 * brackets {@code { } [ ]} are always tokens of their own. Every token keeps
 * the line and column where it starts.
 */
final class Lexer {
    /**
     * One token.
     *
     * @param text the token's characters
     * @param pos  where it starts
     */
    record Token(String text, SpecException.Pos pos) {
        @Override
        public String toString() {
            return text;
        }
    }

    private Lexer() {
    }

    /**
     * Tokenizes a whole spec.
     *
     * @param file name used in positions
     * @param text the spec's contents
     * @return the non-empty logical lines, each a list of tokens
     */
    static List<List<Token>> lines(String file, String text) {
        List<List<Token>> result = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        String[] physical = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < physical.length; i++) {
            String line = physical[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String trimmed = line.stripTrailing();
            boolean continued = trimmed.endsWith("\\");
            if (continued) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            tokenize(file, i + 1, trimmed, current);
            if (!continued && !current.isEmpty()) {
                result.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            result.add(current);
        }
        return result;
    }

    private static void tokenize(String file, int lineNo, String line, List<Token> out) {
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '{' || c == '}' || c == '[' || c == ']') {
                out.add(new Token(String.valueOf(c), new SpecException.Pos(file, lineNo, i + 1)));
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(line.charAt(i)) && "{}[]".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(line.substring(start, i), new SpecException.Pos(file, lineNo, start + 1)));
            }
        }
    }
}
