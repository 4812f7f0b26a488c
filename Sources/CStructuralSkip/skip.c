#include "CStructuralSkip.h"
#include "scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>

// One bit per byte of the 64 bytes at p equal to c (SSE2 is part of every x86-64 CPU).
static inline uint64_t ef_mask64(const uint8_t *p, __m128i c, int fold) {
    uint64_t m = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * i));
        if (fold) v = _mm_or_si128(v, _mm_set1_epi8(0x20));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << (16 * i);
    }
    return m;
}
#endif

long ef_skip_container(const uint8_t *bytes, long count, long start, long max_depth) {
    long pos = start;
    long depth = 0;
    int in_string = 0;
    long bytewise_until = 0;
    while (pos < count) {
#if defined(__SSE2__)
        if (pos >= bytewise_until && pos + 64 <= count) {
            const uint8_t *p = bytes + pos;
            if (ef_mask64(p, _mm_set1_epi8('\\'), 0) == 0) {
                uint64_t quotes = ef_mask64(p, _mm_set1_epi8('"'), 0);
                // '[' and ']' differ from '{' and '}' only in bit 0x20.
                uint64_t opens = ef_mask64(p, _mm_set1_epi8('{'), 1);
                uint64_t closes = ef_mask64(p, _mm_set1_epi8('}'), 1);
                // Prefix XOR: bit i is set when byte i lies inside a string (opening quote
                // included, closing quote excluded).
                uint64_t inside = quotes;
                inside ^= inside << 1;
                inside ^= inside << 2;
                inside ^= inside << 4;
                inside ^= inside << 8;
                inside ^= inside << 16;
                inside ^= inside << 32;
                if (in_string) inside = ~inside;
                uint64_t brackets = (opens | closes) & ~inside;
                while (brackets) {
                    int i = __builtin_ctzll(brackets);
                    if ((opens >> i) & 1) {
                        if (++depth > max_depth) return -2;
                    } else if (--depth == 0) {
                        return pos + i + 1;
                    }
                    brackets &= brackets - 1;
                }
                in_string = (int)(inside >> 63);
                pos += 64;
                continue;
            }
            // A backslash: take this block a byte at a time.
            bytewise_until = pos + 64;
        }
#endif
        uint8_t b = bytes[pos];
        if (in_string) {
            if (b == '\\') {
                pos += 2;
                continue;
            }
            if (b == '"') in_string = 0;
            pos += 1;
            continue;
        }
        switch (b) {
        case '"':
            in_string = 1;
            break;
        case '{':
        case '[':
            if (++depth > max_depth) return -2;
            break;
        case '}':
        case ']':
            if (--depth == 0) return pos + 1;
            break;
        default:
            break;
        }
        pos += 1;
    }
    return -1;
}

// From an opening quote to just past the closing one, honouring backslashes only; -1 at the end.
static inline long skip_string(const uint8_t *b, long n, long p) {
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

long ef_skip_value_structurally(const uint8_t *b, long n, long p, long max_depth) {
    switch (b[p]) {
    case '"': return skip_string(b, n, p);
    case '{':
    case '[': return ef_skip_container(b, n, p, max_depth);
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
            if (c == ',' || c == '}' || c == ']' || ef_is_ws(c)) return p;
            p++;
        }
        return -1;
    }
}
