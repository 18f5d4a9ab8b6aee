package io.personalize.core.privacy;

import java.util.function.Predicate;

/**
 * Masks contact details in free text (a URL, a search query, a record that is not JSON or was cut
 * short): e-mail addresses ({@code @}, {@code %40}, {@code %2540} or {@code \u0040} between local
 * part and domain) become {@code <email>}; phone numbers in international form ({@code +} or {@code
 * %2B} and 8 to 15 digits), North American form ({@code (415) 555-0100}, {@code 415-555-0100},
 * {@code 415.555.0100}, {@code 415 555 0100}) or after {@code tel:} become {@code <phone>}; the
 * value of a query parameter ({@code key=value}) or a JSON member ({@code "key": value}) whose key
 * is personal becomes {@code <redacted>}.
 *
 * <p>One pass, no regular expression: every look-around is bounded (64 characters of local part,
 * 253 of domain, 40 of phone, 64 of key), so the cost is linear in the text.
 */
final class TextMasker {
    static final String EMAIL = "<email>";
    static final String PHONE = "<phone>";
    static final String REDACTED = "<redacted>";

    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;
    private static final int MAX_PHONE = 40;
    private static final int MAX_KEY = 64;

    /** The ASCII characters {@link #maskAt} looks at; every other one is skipped at once. */
    private static final boolean[] TRIGGERS = new boolean[128];

    static {
        for (char c : "@%\\+tT=:(0123456789".toCharArray()) {
            TRIGGERS[c] = true;
        }
    }

    private final String text;
    private final Predicate<String> personalKey;
    private StringBuilder out;
    private int copied;

    private TextMasker(String text, Predicate<String> personalKey) {
        this.text = text;
        this.personalKey = personalKey;
    }

    /** The text with contact details and personal values masked; the same text when none. */
    static String mask(String text, Predicate<String> personalKey) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return new TextMasker(text, personalKey).run();
    }

    /** Whether the text holds an e-mail address or a phone number. */
    static boolean containsContact(String text) {
        return text != null && !text.equals(mask(text, key -> false));
    }

    private String run() {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c < 128 && !TRIGGERS[c]) {
                i++; // most characters start nothing: one table look-up
                continue;
            }
            int next = maskAt(i, c);
            i = next > i ? next : i + 1;
        }
        if (out == null) {
            return text;
        }
        out.append(text, copied, n);
        return out.toString();
    }

    /** Masks what starts (or, for an address, has its {@code @}) at {@code i}; the next index. */
    private int maskAt(int i, char c) {
        switch (c) {
            case '@':
                return email(i, 1);
            case '%':
                if (text.startsWith("%40", i)) {
                    return email(i, 3);
                }
                if (text.startsWith("%2540", i)) {
                    return email(i, 5);
                }
                if (text.regionMatches(true, i, "%2B", 0, 3)) {
                    return international(i, 3);
                }
                return -1;
            case '\\':
                return text.regionMatches(true, i, "\\u0040", 0, 6) ? email(i, 6) : -1;
            case '+':
                return international(i, 1);
            case 't':
            case 'T':
                return tel(i);
            case '=':
                return queryValue(i);
            case ':':
                return jsonValue(i);
            default:
                if (c == '(' || isDigit(c)) {
                    return northAmerican(i);
                }
                return -1;
        }
    }

    private int email(int at, int markerLength) {
        int start = at;
        while (start > copied && at - start < MAX_LOCAL && isLocal(text.charAt(start - 1))) {
            start--;
        }
        int domainStart = at + markerLength;
        int end = domainStart;
        int n = text.length();
        while (end < n && end - domainStart < MAX_DOMAIN && isDomain(text.charAt(end))) {
            end++;
        }
        while (end > domainStart && !isLetterOrDigit(text.charAt(end - 1))) {
            end--;
        }
        if (start == at || end == domainStart || !isLetterOrDigit(text.charAt(domainStart))) {
            return -1;
        }
        // the domain ends with the last label that starts with 2 to 24 letters: an address
        // followed by "-suffix" or ".123" is still an address
        for (int dot = lastIndexOf('.', domainStart, end);
                dot > domainStart;
                dot = lastIndexOf('.', domainStart, dot)) {
            int tldEnd = dot + 1;
            while (tldEnd < end && isLetter(text.charAt(tldEnd))) {
                tldEnd++;
            }
            int tld = tldEnd - dot - 1;
            if (tld >= 2 && tld <= 24) {
                return replace(start, tldEnd, EMAIL);
            }
        }
        return -1;
    }

    private int international(int plus, int markerLength) {
        int end = phoneEnd(plus + markerLength, 8);
        return end < 0 ? -1 : replace(plus, end, PHONE);
    }

    private int tel(int i) {
        if (i + 4 > text.length() || (text.charAt(i + 1) | 0x20) != 'e') {
            return -1;
        }
        int start;
        if (text.regionMatches(true, i, "tel:", 0, 4)) {
            start = i + 4;
        } else if (text.regionMatches(true, i, "tel%3A", 0, 6)) {
            start = i + 6;
        } else {
            return -1;
        }
        int digits = start;
        if (digits < text.length() && text.charAt(digits) == '+') {
            digits++;
        } else if (text.regionMatches(true, digits, "%2B", 0, 3)) {
            digits += 3;
        }
        int end = phoneEnd(digits, 5);
        return end < 0 ? -1 : replace(start, end, PHONE);
    }

    /**
     * The end of a phone number's digits from {@code from} (digits with single separators: space,
     * {@code -}, {@code .}, {@code /}, parentheses, {@code %20}), or -1 when there are fewer than
     * {@code minDigits} or more than 15, or a letter or digit follows.
     */
    private int phoneEnd(int from, int minDigits) {
        int n = text.length();
        int digits = 0;
        int lastDigit = -1;
        int separators = 0;
        int k = from;
        while (k < n && k - from < MAX_PHONE) {
            char c = text.charAt(k);
            if (isDigit(c)) {
                digits++;
                lastDigit = k;
                separators = 0;
                k++;
            } else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') {
                if (++separators > 2 || digits == 0 && c != '(') {
                    break;
                }
                k++;
            } else if (text.startsWith("%20", k) && digits > 0 && ++separators <= 2) {
                k += 3;
            } else {
                break;
            }
        }
        if (digits < minDigits || digits > 15) {
            return -1;
        }
        int after = lastDigit + 1;
        if (after < n && (isLetterOrDigit(text.charAt(after)) || text.charAt(after) == '@')) {
            return -1; // part of a longer token, or the local part of an address
        }
        return after;
    }

    /** {@code (415) 555-0100}, {@code 415-555-0100}, {@code 415.555.0100}, {@code 415 555 0100}. */
    private int northAmerican(int i) {
        if (i > 0) {
            char before = text.charAt(i - 1);
            if (isLetterOrDigit(before)
                    || ((before == '-' || before == '.') && i > 1 && isDigit(text.charAt(i - 2)))) {
                return -1;
            }
        }
        int k = i;
        char separator;
        if (text.charAt(k) == '(') {
            if (!digitsAt(k + 1, 3) || !at(k + 4, ')')) {
                return -1;
            }
            k += 5;
            if (at(k, ' ')) {
                k++;
            }
            separator = '-';
            if (!digitsAt(k, 3) || !(at(k + 3, '-') || at(k + 3, ' ') || at(k + 3, '.'))) {
                return -1;
            }
            k += 4;
        } else {
            if (!digitsAt(k, 3)) {
                return -1;
            }
            separator = k + 3 < text.length() ? text.charAt(k + 3) : 0;
            if ((separator != '-' && separator != '.' && separator != ' ')
                    || !digitsAt(k + 4, 3)
                    || !at(k + 7, separator)) {
                return -1;
            }
            k += 8;
        }
        if (!digitsAt(k, 4)) {
            return -1;
        }
        int end = k + 4;
        if (end < text.length()) {
            char after = text.charAt(end);
            if (isLetterOrDigit(after)
                    || ((after == separator || after == '-' || after == '.')
                            && end + 1 < text.length()
                            && isDigit(text.charAt(end + 1)))) {
                return -1;
            }
        }
        return replace(i, end, PHONE);
    }

    /** {@code key=value} where the key is personal: the value, to {@code &}, {@code #}, ... */
    private int queryValue(int equals) {
        int keyStart = equals;
        while (keyStart > copied
                && equals - keyStart < MAX_KEY
                && isKey(text.charAt(keyStart - 1))) {
            keyStart--;
        }
        if (keyStart == equals || !personalKey.test(lastBracketed(keyStart, equals))) {
            return -1;
        }
        int end = equals + 1;
        int n = text.length();
        while (end < n && !endsQueryValue(text.charAt(end))) {
            end++;
        }
        return end == equals + 1 ? -1 : replace(equals + 1, end, REDACTED);
    }

    /** {@code "key": value} where the key is personal: the value, whatever its JSON type. */
    private int jsonValue(int colon) {
        int quote = colon - 1;
        while (quote >= copied && colon - quote < 8 && text.charAt(quote) == ' ') {
            quote--;
        }
        if (quote <= copied || text.charAt(quote) != '"') {
            return -1;
        }
        int open = quote - 1;
        while (open >= copied && quote - open <= MAX_KEY && text.charAt(open) != '"') {
            open--;
        }
        if (open < copied
                || text.charAt(open) != '"'
                || !personalKey.test(text.substring(open + 1, quote))) {
            return -1;
        }
        int start = colon + 1;
        int n = text.length();
        while (start < n && colon - start < 8 && text.charAt(start) == ' ') {
            start++;
        }
        if (start >= n) {
            return -1;
        }
        return replace(start, jsonValueEnd(start), '"' + REDACTED + '"');
    }

    /**
     * The end of the JSON value at {@code start}: a string, array, object or literal; or the
     * text's.
     */
    private int jsonValueEnd(int start) {
        int n = text.length();
        char first = text.charAt(start);
        if (first == '"') {
            for (int k = start + 1; k < n; k++) {
                char c = text.charAt(k);
                if (c == '\\') {
                    k++;
                } else if (c == '"') {
                    return k + 1;
                }
            }
            return n;
        }
        if (first == '[' || first == '{') {
            int depth = 0;
            boolean inString = false;
            for (int k = start; k < n; k++) {
                char c = text.charAt(k);
                if (inString) {
                    if (c == '\\') {
                        k++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '[' || c == '{') {
                    depth++;
                } else if ((c == ']' || c == '}') && --depth == 0) {
                    return k + 1;
                }
            }
            return n;
        }
        int k = start;
        while (k < n && ",}] \t\r\n".indexOf(text.charAt(k)) < 0) {
            k++;
        }
        return k;
    }

    /** {@code user[email]} and {@code user.email} are the key {@code email}. */
    private String lastBracketed(int start, int end) {
        if (text.charAt(end - 1) == ']') {
            int open = lastIndexOf('[', start, end - 1);
            if (open >= start) {
                return text.substring(open + 1, end - 1);
            }
        }
        int dot = lastIndexOf('.', start, end);
        return text.substring(dot >= start ? dot + 1 : start, end);
    }

    private int replace(int start, int end, String token) {
        if (out == null) {
            out = new StringBuilder(text.length());
        }
        out.append(text, copied, start).append(token);
        copied = end;
        return end;
    }

    /**
     * The last {@code c} in [{@code from}, {@code to}), or -1: bounded, unlike {@link
     * String#lastIndexOf(int, int)}, which would scan back to the start of the text.
     */
    private int lastIndexOf(char c, int from, int to) {
        for (int k = to - 1; k >= from; k--) {
            if (text.charAt(k) == c) {
                return k;
            }
        }
        return -1;
    }

    private boolean digitsAt(int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int k = from; k < from + count; k++) {
            if (!isDigit(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private boolean at(int k, char c) {
        return k < text.length() && text.charAt(k) == c;
    }

    private static boolean endsQueryValue(char c) {
        return c == '&'
                || c == '#'
                || c == ';'
                || c == '"'
                || c == '\''
                || c == '<'
                || c == '>'
                || c == ','
                || c == '\\'
                || Character.isWhitespace(c);
    }

    private static boolean isKey(char c) {
        return isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']';
    }

    private static boolean isLocal(char c) {
        return isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomain(char c) {
        return isLetterOrDigit(c) || c == '.' || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLetterOrDigit(char c) {
        return isLetter(c) || isDigit(c);
    }
}
