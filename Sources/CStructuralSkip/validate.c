#include "CStructuralSkip.h"
#include "scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int ef_is_digit(uint8_t c) { return (uint8_t)(c - '0') < 10; }

// From an opening quote to just past the closing one; -1 to fall back.
static inline long ef_string(const uint8_t *b, long n, long p) {
    p++;
    for (;;) {
        p = ef_plain_text_end(b, n, p);
        if (p >= n) return -1;
        uint8_t c = b[p];
        if (c == '"') return p + 1;
        if (c == '\\') {
            if (p + 1 >= n) return -1;
            uint8_t e = b[p + 1];
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                p += 2;
                continue;
            }
            return -1;
        }
        if (c < 0x20 || c >= 0x80) return -1;
        p++;
    }
}

static inline long ef_number(const uint8_t *b, long n, long p) {
    if (p < n && b[p] == '-') p++;
    if (p >= n) return -1;
    if (b[p] == '0') {
        p++;
        if (p < n && ef_is_digit(b[p])) return -1;
    } else if (ef_is_digit(b[p])) {
        while (p < n && ef_is_digit(b[p])) p++;
    } else {
        return -1;
    }
    if (p < n && b[p] == '.') {
        p++;
        if (p >= n || !ef_is_digit(b[p])) return -1;
        while (p < n && ef_is_digit(b[p])) p++;
    }
    if (p < n && (b[p] | 0x20) == 'e') {
        p++;
        if (p < n && (b[p] == '+' || b[p] == '-')) p++;
        if (p >= n || !ef_is_digit(b[p])) return -1;
        while (p < n && ef_is_digit(b[p])) p++;
    }
    return p;
}

static inline long ef_literal(const uint8_t *b, long n, long p, const char *word, long len) {
    if (p + len > n) return -1;
    for (long i = 0; i < len; i++) {
        if (b[p + i] != (uint8_t)word[i]) return -1;
    }
    return p + len;
}

long ef_skip_valid_value(const uint8_t *b, long n, long p, long depth, long max_depth) {
    uint8_t stack[256];  // '{' or '[' per open container
    int sp = 0;
value:
    p = ef_ws(b, n, p);
    if (p >= n) return -1;
    switch (b[p]) {
    case '{':
    case '[': {
        if (depth + sp >= max_depth || sp == (int)sizeof(stack)) return -1;
        uint8_t open = b[p];
        stack[sp++] = open;
        p = ef_ws(b, n, p + 1);
        if (p >= n) return -1;
        if (b[p] == (open == '{' ? '}' : ']')) {
            p++;
            sp--;
            goto after_value;
        }
        if (open == '{') goto member;
        goto value;
    }
    case '"': p = ef_string(b, n, p); break;
    case 't': p = ef_literal(b, n, p, "true", 4); break;
    case 'f': p = ef_literal(b, n, p, "false", 5); break;
    case 'n': p = ef_literal(b, n, p, "null", 4); break;
    default: p = ef_number(b, n, p); break;
    }
    if (p < 0) return -1;
after_value:
    if (sp == 0) return p;
    p = ef_ws(b, n, p);
    if (p >= n) return -1;
    if (b[p] == ',') {
        p++;
        if (stack[sp - 1] == '{') goto member;
        goto value;
    }
    if (b[p] == (stack[sp - 1] == '{' ? '}' : ']')) {
        p++;
        sp--;
        goto after_value;
    }
    return -1;
member:
    p = ef_ws(b, n, p);
    if (p >= n || b[p] != '"') return -1;
    p = ef_string(b, n, p);
    if (p < 0) return -1;
    p = ef_ws(b, n, p);
    if (p >= n || b[p] != ':') return -1;
    p++;
    goto value;
}
