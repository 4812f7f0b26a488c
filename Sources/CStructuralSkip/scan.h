#ifndef EF_SCAN_H
#define EF_SCAN_H

// Small scanning steps shared by the C scanners.

#include <stdint.h>

#include "CStructuralSkip.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int ef_is_ws(uint8_t c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The first offset from p that is not JSON whitespace.
static inline long ef_ws(const uint8_t *b, long n, long p) {
    if (p < n && b[p] > ' ') return p;
    while (p < n && ef_is_ws(b[p])) p++;
    return p;
}

// Inside a string, from p: the offset of the first byte that ends plain text (a quote, a
// backslash, a control character or a byte above 0x7F), or of the last 16-byte block's start
// when none is found before it; the caller checks the remaining bytes one at a time.
static inline long ef_plain_text_end(const uint8_t *b, long n, long p) {
#if defined(__SSE2__)
    while (p + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(b + p));
        // Signed compare: bytes >= 0x80 are negative, so one test catches them and controls.
        __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
            _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
        int m = _mm_movemask_epi8(special);
        if (m) return p + __builtin_ctz((unsigned)m);
        p += 16;
    }
#endif
    return p;
}

static inline int ef_is_digit(uint8_t c) { return (uint8_t)(c - '0') < 10; }

// A JSON number from its first byte: the offset just past it, or -1 when it is invalid. With
// `value`, also its `ef_plain_value`, worked out on the way (NaN with an exponent); without,
// the value's arithmetic compiles away.
__attribute__((always_inline)) static inline long ef_number_reading(const uint8_t *b, long n, long p, double *value) {
    int negative = p < n && b[p] == '-';
    p += negative;
    if (p >= n) return -1;
    uint64_t m = 0;
    long digits = 0, fraction = 0;
    if (b[p] == '0') {
        p++;
        if (p < n && ef_is_digit(b[p])) return -1;
        digits = 1;
    } else if (ef_is_digit(b[p])) {
        while (p < n && ef_is_digit(b[p])) {
            m = m * 10 + (uint64_t)(b[p] - '0');
            digits++;
            p++;
        }
    } else {
        return -1;
    }
    if (p < n && b[p] == '.') {
        p++;
        if (p >= n || !ef_is_digit(b[p])) return -1;
        while (p < n && ef_is_digit(b[p])) {
            m = m * 10 + (uint64_t)(b[p] - '0');
            digits++;
            fraction++;
            p++;
        }
    }
    if (p < n && (b[p] | 0x20) == 'e') {
        p++;
        if (p < n && (b[p] == '+' || b[p] == '-')) p++;
        if (p >= n || !ef_is_digit(b[p])) return -1;
        while (p < n && ef_is_digit(b[p])) p++;
        if (value) *value = __builtin_nan("");
        return p;
    }
    if (value) *value = ef_plain_value(m, digits, fraction, negative);
    return p;
}

static inline long ef_number(const uint8_t *b, long n, long p) { return ef_number_reading(b, n, p, 0); }

// One of the words true, false, null at p: the offset past it, or -1.
static inline long ef_literal(const uint8_t *b, long n, long p, const char *word, long len) {
    if (p + len > n) return -1;
    for (long i = 0; i < len; i++) {
        if (b[p + i] != (uint8_t)word[i]) return -1;
    }
    return p + len;
}

#endif
