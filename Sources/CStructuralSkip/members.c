#include "CStructuralSkip.h"
#include "scan.h"

#include <string.h>

// From an opening quote: the offset of the closing quote of a string of plain ASCII text (no
// escape, no control, no byte above 0x7F), or -1 for any other string.
static inline long em_plain_string_end(const uint8_t *b, long n, long p) {
    p = ef_plain_text_end(b, n, p + 1);
    while (p < n) {
        uint8_t c = b[p];
        if (c == '"') return p;
        if (c == '\\' || c < 0x20 || c >= 0x80) return -1;
        p++;
    }
    return -1;
}

// Byte equality of short keys: a library call costs more than the comparison itself.
static inline int em_equal(const uint8_t *a, const uint8_t *b, long n) {
    long k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y) return 0;
    }
    for (; k < n; k++) {
        if (a[k] != b[k]) return 0;
    }
    return 1;
}

static inline int em_has_dot(const uint8_t *key, long n) {
    for (long k = 0; k < n; k++) {
        if (key[k] == '.') return 1;
    }
    return 0;
}

static inline ef_member_scan em_result(long pos, long code, long edge) {
    ef_member_scan r = {pos, code, edge};
    return r;
}

ef_member_scan ef_scan_members(const uint8_t *b, long n, long p, const uint8_t *key_bytes, const int32_t *key_starts,
                               const int32_t *key_lengths, long edge_begin, long edge_end, int dotted, int validating,
                               long value_depth, long max_depth) {
    for (;;) {
        p = ef_ws(b, n, p);
        long name = p;
        if (p >= n || b[p] != '"') return em_result(name, EF_MEMBER_SLOW, -1);
        long close = em_plain_string_end(b, n, p);
        if (close < 0) return em_result(name, EF_MEMBER_SLOW, -1);
        const uint8_t *key = b + p + 1;
        long len = close - p - 1;
        long found = -1;
        for (long e = edge_begin; e < edge_end; e++) {
            if (key_lengths[e] == len && em_equal(key_bytes + key_starts[e], key, len)) {
                found = e;
                break;
            }
        }
        if (found < 0 && dotted && em_has_dot(key, len)) return em_result(name, EF_MEMBER_SLOW, -1);
        p = ef_ws(b, n, close + 1);
        if (p >= n || b[p] != ':') return em_result(name, EF_MEMBER_SLOW, -1);
        p++;
        if (found >= 0) return em_result(p, EF_MEMBER_FOUND, found - edge_begin);
        p = ef_ws(b, n, p);
        if (p >= n) return em_result(p, EF_MEMBER_SKIP_VALUE, -1);
        long end = validating ? ef_skip_valid_value(b, n, p, value_depth, max_depth) : ef_skip_value_structurally(b, n, p, max_depth);
        if (end < 0) return em_result(p, EF_MEMBER_SKIP_VALUE, -1);
        p = ef_ws(b, n, end);
        if (p < n && b[p] == ',') {
            p++;
            continue;
        }
        if (p < n && b[p] == '}') return em_result(p + 1, EF_MEMBER_END, -1);
        return em_result(end, EF_MEMBER_AFTER_VALUE, -1);
    }
}
