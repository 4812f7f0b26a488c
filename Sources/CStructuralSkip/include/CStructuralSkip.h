#ifndef C_STRUCTURAL_SKIP_H
#define C_STRUCTURAL_SKIP_H

#include <stddef.h>
#include <stdint.h>

/// Skips the JSON object or array that starts at bytes[start] ('{' or '['), looking only at
/// its structure: quotes, backslash escapes inside strings, and brackets outside strings.
/// Returns the offset just past its closing bracket, -1 when the input ends first, or -2 when
/// it nests deeper than max_depth.
long ef_skip_container(const uint8_t *bytes, long count, long start, long max_depth);

/// Skips the JSON value that starts at bytes[start] (not whitespace) by its structure alone:
/// a string to its closing quote (honouring backslashes), a container as `ef_skip_container`,
/// a number or literal to the first ',', '}', ']' or whitespace. Returns the offset just past
/// it, -1 when the input ends first, or -2 when a container nests deeper than max_depth.
long ef_skip_value_structurally(const uint8_t *bytes, long count, long start, long max_depth);

/// Skips one JSON value starting at bytes[start] (after optional whitespace) while validating
/// it: structure, strings (ASCII text and simple escapes), numbers and literals. `depth` is the
/// nesting level of the value and a container may open only below `max_depth`. Returns the
/// offset just past the value, or -1 when the value is invalid *or* uses something this fast
/// path does not check (non-ASCII bytes, \u escapes, very deep nesting): the caller then
/// validates it the slow way, which decides and reports the error.
/// On x86-64 CPUs with AVX2 and BMI2 (checked once, at run time) strings are scanned and numbers
/// checked 32 bytes at a time; elsewhere strings go 16 bytes at a time (SSE2) or bytewise.
long ef_skip_valid_value(const uint8_t *bytes, long count, long start, long depth, long max_depth);

/// `ef_skip_valid_value` without AVX2, whatever the CPU: for tests to compare the two.
long ef_skip_valid_value_portable(const uint8_t *bytes, long count, long start, long depth, long max_depth);

/// What `ef_scan_members` stopped at.
enum {
    /// A member the caller wants: `edge` is its index among the node's edges and `pos` is just
    /// past its ':'.
    EF_MEMBER_FOUND = 0,
    /// The object ended: `pos` is just past its '}'.
    EF_MEMBER_END = 1,
    /// A member this fast path does not handle (escaped, non-ASCII or dotted name, or anything
    /// malformed): `pos` is at its name, for the caller to read the slow way.
    EF_MEMBER_SLOW = 2,
    /// An unwanted member whose value this fast path did not skip: `pos` is at the value.
    EF_MEMBER_SKIP_VALUE = 3,
    /// An unwanted value was skipped but no ',' or '}' follows it: `pos` is just past it.
    EF_MEMBER_AFTER_VALUE = 4,
};

typedef struct {
    long pos;
    long code;
    long edge;
} ef_member_scan;

/// The kinds of scalar `ef_scan_members` records (the order of the matcher's own kinds).
enum {
    EF_SCALAR_STRING = 0,
    EF_SCALAR_NUMBER = 1,
    EF_SCALAR_TRUE = 2,
    EF_SCALAR_FALSE = 3,
    EF_SCALAR_NULL = 4,
    /// A member's array of scalars: its elements are the records up to the array's end.
    EF_SCALAR_ARRAY_START = 5,
    EF_SCALAR_ARRAY_END = 6,
};

/// A wanted member's scalar value, recorded by `ef_scan_members`: strings by the bytes between
/// their quotes, numbers by their text and its `ef_plain_number` value; literals need only
/// their kind.
typedef struct {
    int32_t field;
    int32_t kind;
    int32_t start;
    int32_t end;
    double number;
} ef_scalar;

/// A plain number's value from its parts: its digits as an integer `m` (`digits` of them; more
/// than 15 do not qualify), how many of them follow the point, and its sign. The digits over a
/// power of ten are both exact in a double, so the one division rounds correctly; zero of
/// either sign is 0.0. NaN when it does not qualify.
__attribute__((always_inline)) static inline double ef_plain_value(uint64_t m, long digits, long fraction, int negative) {
    static const double powers[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (digits == 0 || digits > 15) return __builtin_nan("");
    if (m == 0) return 0.0;
    double magnitude = fraction == 0 ? (double)m : (double)m / powers[fraction];
    return negative ? -magnitude : magnitude;
}

/// The value of the text `bytes[start ..< end]` when it is a plain number — `-?digits(.digits)?`
/// with at most 15 digits and no exponent — as `ef_plain_value` gives it; NaN for any other
/// text, whose value the caller works out in full.
__attribute__((always_inline)) static inline double ef_plain_number(const uint8_t *bytes, long start, long end) {
    long p = start;
    int negative = p < end && bytes[p] == '-';
    p += negative;
    if (end - p > 16) return __builtin_nan("");
    uint64_t m = 0;
    long digits = 0, point = -1;
    for (; p < end; p++) {
        uint8_t d = (uint8_t)(bytes[p] - '0');
        if (d < 10) {
            m = m * 10 + d;
            digits++;
        } else if (bytes[p] == '.' && point < 0) {
            point = digits;
        } else {
            return __builtin_nan("");
        }
    }
    return ef_plain_value(m, digits, point < 0 ? 0 : digits - point, negative);
}

/// Reads the members of a JSON object from `start` (at or before a member name's quote),
/// skipping every member whose name is none of the node's edge keys, until it reaches a wanted
/// member or the object's end. Edge e's key is `key_bytes[key_starts[e] ..< + key_lengths[e]]`
/// for e in `edge_begin ..< edge_end`. Unwanted values are skipped structurally, or validated
/// like `ef_skip_valid_value` (at nesting `value_depth`) when `validating` is set. With
/// `dotted` set, a name containing '.' that is no key is handed back (it may name a path).
ef_member_scan ef_scan_members(const uint8_t *bytes, long count, long start, const uint8_t *key_bytes,
                               const int32_t *key_starts, const int32_t *key_lengths, long edge_begin, long edge_end,
                               int dotted, int validating, long value_depth, long max_depth);

/// `ef_scan_members` that also reads values: with `edge_field` (per edge, a field id or -1), a
/// wanted member whose edge has a field id and whose value is a plain ASCII string, a valid
/// number or a literal, or an array of only those (below `max_depth`), is not handed back: its
/// value is appended to `scalars` (while there is room for it in `scalar_capacity`) and the
/// scan goes on. The caller takes the recorded scalars before anything the scan returns.
ef_member_scan ef_scan_members_recording(const uint8_t *bytes, long count, long start, const uint8_t *key_bytes,
                                         const int32_t *key_starts, const int32_t *key_lengths, long edge_begin,
                                         long edge_end, const int32_t *edge_field, ef_scalar *scalars,
                                         long scalar_capacity, long *scalar_count, int dotted, int validating,
                                         long value_depth, long max_depth);

/// Runs an Aho-Corasick automaton in table form over `bytes[from ..< count]`: from state
/// `*state`, byte b moves to `table[state * classes + class_of[b]]`. Stops at the first byte
/// after which the state has an output (`first_output[state] != none`) and returns its offset,
/// or returns `count`; `*state` is the state reached.
long ef_infix_walk(const uint8_t *bytes, long count, long from, const uint32_t *table, long classes,
                   const uint8_t *class_of, const uint32_t *first_output, uint32_t none, uint32_t *state);

#endif
