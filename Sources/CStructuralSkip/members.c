#include "CStructuralSkip.h"
#include "scan.h"

#include <string.h>

// From an opening quote: the offset of the closing quote of a string of plain ASCII text (no
// escape, no control, no byte above 0x7F), or -1 for any other string.
__attribute__((always_inline)) static inline long em_plain_string_end(const uint8_t *b, long n, long p) {
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

// A wanted member's value read here when it is a scalar that needs nothing more than its
// bounds: a plain ASCII string, a valid number, or a literal. The offset past it, or -1 when
// it is anything else (the caller reads it).
__attribute__((always_inline)) static inline long em_capture(const uint8_t *b, long n, long p, int32_t field, ef_scalar *out) {
    uint8_t c = b[p];
    long end;
    if (c == '"') {
        end = em_plain_string_end(b, n, p);
        if (end < 0) return -1;
        *out = (ef_scalar){field, EF_SCALAR_STRING, (int32_t)(p + 1), (int32_t)end, 0};
        return end + 1;
    }
    if (c == '-' || ef_is_digit(c)) {
        double value;
        end = ef_number_reading(b, n, p, &value);
        if (end < 0) return -1;
        *out = (ef_scalar){field, EF_SCALAR_NUMBER, (int32_t)p, (int32_t)end, value};
        return end;
    }
    if (c == 't') {
        end = ef_literal(b, n, p, "true", 4);
        *out = (ef_scalar){field, EF_SCALAR_TRUE, (int32_t)p, (int32_t)p, 0};
    } else if (c == 'f') {
        end = ef_literal(b, n, p, "false", 5);
        *out = (ef_scalar){field, EF_SCALAR_FALSE, (int32_t)p, (int32_t)p, 0};
    } else if (c == 'n') {
        end = ef_literal(b, n, p, "null", 4);
        *out = (ef_scalar){field, EF_SCALAR_NULL, (int32_t)p, (int32_t)p, 0};
    } else {
        return -1;
    }
    return end;
}

// A wanted member's array whose elements are all scalars `em_capture` reads, recorded between
// an array start and an array end. The offset past its ']', or -1 (and nothing recorded) when
// some element is anything else or the records would not fit: the caller reads it.
static long em_capture_array(const uint8_t *b, long n, long p, int32_t field, ef_scalar *scalars, long capacity,
                             long *count) {
    long first = *count;
    if (first + 2 > capacity) return -1;
    scalars[first] = (ef_scalar){field, EF_SCALAR_ARRAY_START, (int32_t)p, (int32_t)p, 0};
    long k = first + 1;
    p = ef_ws(b, n, p + 1);
    if (p < n && b[p] == ']') {
        p++;
    } else {
        for (;;) {
            // Room for this element and the array's end.
            if (p >= n || k + 2 > capacity) return -1;
            long end = em_capture(b, n, p, field, scalars + k);
            if (end < 0) return -1;
            k++;
            p = ef_ws(b, n, end);
            if (p < n && b[p] == ',') {
                p = ef_ws(b, n, p + 1);
                continue;
            }
            if (p < n && b[p] == ']') {
                p++;
                break;
            }
            return -1;  // the reader reports what follows the element
        }
    }
    scalars[k] = (ef_scalar){field, EF_SCALAR_ARRAY_END, (int32_t)p, (int32_t)p, 0};
    *count = k + 1;
    return p;
}

// The scan, compiled twice: with `capture` 0 it is the plain scan, without the recording's
// arguments and branches (which cost the scans that do not record about a tenth).
__attribute__((always_inline)) static inline ef_member_scan
em_scan(const uint8_t *b, long n, long p, const uint8_t *key_bytes, const int32_t *key_starts, const int32_t *key_lengths,
        long edge_begin, long edge_end, const int32_t *edge_field, ef_scalar *scalars, long scalar_capacity,
        long *scalar_count, int dotted, int validating, long value_depth, long max_depth, int capture) {
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
        long end;
        if (found >= 0) {
            // Scalars of leaf fields are recorded here, while there is room; anything else is
            // handed back with the position just past the ':'.
            if (!capture || edge_field[found] < 0 || *scalar_count >= scalar_capacity)
                return em_result(p, EF_MEMBER_FOUND, found - edge_begin);
            long v = ef_ws(b, n, p);
            if (v >= n) return em_result(p, EF_MEMBER_FOUND, found - edge_begin);
            if (b[v] == '[') {
                if (value_depth >= max_depth) return em_result(p, EF_MEMBER_FOUND, found - edge_begin);
                end = em_capture_array(b, n, v, edge_field[found], scalars, scalar_capacity, scalar_count);
            } else {
                end = em_capture(b, n, v, edge_field[found], scalars + *scalar_count);
                if (end >= 0) *scalar_count += 1;
            }
            if (end < 0) return em_result(p, EF_MEMBER_FOUND, found - edge_begin);
        } else {
            p = ef_ws(b, n, p);
            if (p >= n) return em_result(p, EF_MEMBER_SKIP_VALUE, -1);
            end = validating ? ef_skip_valid_value(b, n, p, value_depth, max_depth)
                             : ef_skip_value_structurally(b, n, p, max_depth);
            if (end < 0) return em_result(p, EF_MEMBER_SKIP_VALUE, -1);
        }
        p = ef_ws(b, n, end);
        if (p < n && b[p] == ',') {
            p++;
            continue;
        }
        if (p < n && b[p] == '}') return em_result(p + 1, EF_MEMBER_END, -1);
        return em_result(end, EF_MEMBER_AFTER_VALUE, -1);
    }
}

ef_member_scan ef_scan_members(const uint8_t *b, long n, long p, const uint8_t *key_bytes, const int32_t *key_starts,
                               const int32_t *key_lengths, long edge_begin, long edge_end, int dotted, int validating,
                               long value_depth, long max_depth) {
    return em_scan(b, n, p, key_bytes, key_starts, key_lengths, edge_begin, edge_end, NULL, NULL, 0, NULL, dotted,
                   validating, value_depth, max_depth, 0);
}

ef_member_scan ef_scan_members_recording(const uint8_t *b, long n, long p, const uint8_t *key_bytes,
                                         const int32_t *key_starts, const int32_t *key_lengths, long edge_begin,
                                         long edge_end, const int32_t *edge_field, ef_scalar *scalars,
                                         long scalar_capacity, long *scalar_count, int dotted, int validating,
                                         long value_depth, long max_depth) {
    return em_scan(b, n, p, key_bytes, key_starts, key_lengths, edge_begin, edge_end, edge_field, scalars,
                   scalar_capacity, scalar_count, dotted, validating, value_depth, max_depth, 1);
}
