#include "CStructuralSkip.h"
#include "string_scan.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline long em_ws(const uint8_t *b, long n, long p) {
    while (p < n && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) p++;
    return p;
}

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

// From an opening quote to just past the closing one, honouring backslashes only; -1 at the end.
static inline long em_skip_string(const uint8_t *b, long n, long p) {
    p++;
    for (;;) {
#if defined(__SSE2__)
        while (p + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(b + p));
            int m = _mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
            if (m) {
                p += __builtin_ctz((unsigned)m);
                break;
            }
            p += 16;
        }
#endif
        while (p < n && b[p] != '"' && b[p] != '\\') p++;
        if (p >= n) return -1;
        if (b[p] == '"') return p + 1;
        p += 2;
    }
}

// Skips a value by its structure only (as JSONScanner.skipValueStructurally); -1 to hand it back.
static inline long em_skip_structurally(const uint8_t *b, long n, long p, long max_depth) {
    switch (b[p]) {
    case '"': return em_skip_string(b, n, p);
    case '{':
    case '[': {
        long end = ef_skip_container(b, n, p, max_depth);
        return end < 0 ? -1 : end;
    }
    default:
#if defined(__SSE2__)
        // Numbers and literals end at the first ',', '}', ']' or whitespace.
        while (p + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(b + p));
            __m128i end = _mm_or_si128(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('}'))),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(']')), _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))),
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
            int m = _mm_movemask_epi8(end);
            if (m) return p + __builtin_ctz((unsigned)m);
            p += 16;
        }
#endif
        while (p < n) {
            uint8_t c = b[p];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') return p;
            p++;
        }
        return -1;
    }
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
        p = em_ws(b, n, p);
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
        p = em_ws(b, n, close + 1);
        if (p >= n || b[p] != ':') return em_result(name, EF_MEMBER_SLOW, -1);
        p++;
        if (found >= 0) return em_result(p, EF_MEMBER_FOUND, found - edge_begin);
        p = em_ws(b, n, p);
        if (p >= n) return em_result(p, EF_MEMBER_SKIP_VALUE, -1);
        long end = validating ? ef_skip_valid_value(b, n, p, value_depth, max_depth) : em_skip_structurally(b, n, p, max_depth);
        if (end < 0) return em_result(p, EF_MEMBER_SKIP_VALUE, -1);
        p = em_ws(b, n, end);
        if (p < n && b[p] == ',') {
            p++;
            continue;
        }
        if (p < n && b[p] == '}') return em_result(p + 1, EF_MEMBER_END, -1);
        return em_result(end, EF_MEMBER_AFTER_VALUE, -1);
    }
}
