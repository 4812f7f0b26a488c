#include "CStructuralSkip.h"
#include "scan.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// A flat object's bytes with its string and number values cut out: segment k is
// bytes[offset[k] ..< + length[k]], followed by value k ('"' or '0' in kind[k]), for k in
// 0 ..< slots; segment `slots` ends the object. Each thread keeps its last one from call to
// call (events of one stream share their shapes); slots < 0 when there is none.
#define EF_MAX_SLOTS 16
#define EF_MAX_TEMPLATES 4
#define EF_TEMPLATE_BYTES 512
typedef struct {
    int slots;
    long offset[EF_MAX_SLOTS + 1];
    long length[EF_MAX_SLOTS + 1];
    uint64_t word[EF_MAX_SLOTS + 1];  // a segment of at most 8 bytes, little-endian
    uint64_t mask[EF_MAX_SLOTS + 1];  // its bytes in `word`; 0 for a longer segment
    uint8_t kind[EF_MAX_SLOTS];
    uint8_t bytes[EF_TEMPLATE_BYTES];
} ef_template;

static _Thread_local ef_template ef_last_template = {.slots = -1};

// Whether the `len` bytes at b[p] are those at `seg`.
static inline int ef_same_bytes(const uint8_t *b, long n, long p, const uint8_t *seg, long len) {
    if (p + len > n) return 0;
    return memcmp(b + p, seg, (size_t)len) == 0;
}

// Whether segment k of the template is at b[p]: a short one in one masked comparison.
static inline int ef_segment_at(const uint8_t *b, long n, long p, const ef_template *t, int k) {
    if (t->mask[k] != 0 && p + 8 <= n) {
        uint64_t x;
        memcpy(&x, b + p, 8);
        return ((x ^ t->word[k]) & t->mask[k]) == 0;
    }
    return ef_same_bytes(b, n, p, t->bytes + t->offset[k], t->length[k]);
}

static int ef_make_template(const uint8_t *b, long start, long end, ef_template *t);

// The portable walk: SSE2 string scanning where it exists, bytewise otherwise.
#define EF_WALK ef_walk_portable
#define EF_MATCH ef_match_portable
#define EF_TARGET
#define EF_STRING ef_string
#define EF_PLAIN_TEXT_END ef_plain_text_end
#define EF_NUMBER ef_number
#include "validate_walk.h"
#undef EF_WALK
#undef EF_MATCH
#undef EF_TARGET
#undef EF_STRING
#undef EF_PLAIN_TEXT_END
#undef EF_NUMBER

// Makes the template of the valid object b[start ..< end], which holds no container; 0 when
// it is too long or has too many values to cut out.
static int ef_make_template(const uint8_t *b, long start, long end, ef_template *t) {
    long q = start + 1;
    long segment = start;
    long used = 0;  // bytes copied into t->bytes
    int k = 0;
    for (;;) {
        q = ef_ws(b, end, q);
        if (b[q] == '}') break;
        q = ef_ws(b, end, ef_string(b, end, q));  // the name, then ':'
        q = ef_ws(b, end, q + 1);
        uint8_t c = b[q];
        if (c == 't' || c == 'n') {
            q += 4;  // true, null: part of the segment
        } else if (c == 'f') {
            q += 5;
        } else {
            if (k == EF_MAX_SLOTS || used + (q - segment) > EF_TEMPLATE_BYTES) return 0;
            t->offset[k] = used;
            t->length[k] = q - segment;
            memcpy(t->bytes + used, b + segment, (size_t)(q - segment));
            used += q - segment;
            t->kind[k] = c == '"' ? '"' : '0';
            q = c == '"' ? ef_string(b, end, q) : ef_number(b, end, q);
            segment = q;
            k++;
        }
        q = ef_ws(b, end, q);
        if (b[q] == '}') break;
        q++;  // ','
    }
    if (used + (end - segment) > EF_TEMPLATE_BYTES) return 0;
    t->offset[k] = used;
    t->length[k] = end - segment;
    memcpy(t->bytes + used, b + segment, (size_t)(end - segment));
    t->slots = k;
    for (int i = 0; i <= k; i++) {
        long len = t->length[i];
        t->word[i] = 0;
        t->mask[i] = 0;
        if (len > 0 && len <= 8) {
            memcpy(&t->word[i], t->bytes + t->offset[i], (size_t)len);
            t->mask[i] = ~0ull >> (64 - 8 * len);
        }
    }
    return 1;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define EF_AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt")))

// Inside a string, from p: as ef_plain_text_end, 32 bytes at a time.
EF_AVX2 static inline long ef_plain_text_end_avx2(const uint8_t *b, long n, long p) {
    while (p + 32 <= n) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(b + p));
        // Signed compare: bytes >= 0x80 are negative, so one test catches them and controls.
        __m256i special = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))),
            _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v));
        uint32_t m = (uint32_t)_mm256_movemask_epi8(special);
        if (m) return p + (long)_tzcnt_u32(m);
        p += 32;
    }
    return ef_plain_text_end(b, n, p);
}

// A number validated from one 32-byte load, without a loop or a branch per byte: bit i of
// each mask describes byte p + i, the number runs to the first byte that cannot be part of one
// (`end`), and the grammar -?(0|[1-9][0-9]*)(.[0-9]+)? becomes conditions on neighbouring bits.
// Numbers with an exponent or of 32 bytes or more go bytewise (ef_number).
EF_AVX2 static inline long ef_number_avx2(const uint8_t *b, long n, long p) {
    long base = p;  // where the 32 bytes start
    if (p + 32 > n) {
        // Near the input's end: the last 32 bytes, shifted so that bit 0 is byte p; the bits
        // shifted in past the end count as bytes outside the number.
        if (n < 32 || p >= n) return ef_number(b, n, p);
        base = n - 32;
    }
    __m256i v = _mm256_loadu_si256((const __m256i *)(b + base));
    __m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
    uint32_t shift = (uint32_t)(p - base);
    uint32_t digit = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d)) >> shift;
    uint32_t minus = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('-'))) >> shift;
    uint32_t dot = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.'))) >> shift;
    uint32_t exp = (uint32_t)_mm256_movemask_epi8(
                       _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('+')),
                                       _mm256_cmpeq_epi8(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('e')))) >> shift;
    uint32_t outside = ~(digit | minus | dot | exp);
    if (outside == 0) return ef_number(b, n, p);
    uint32_t end = _tzcnt_u32(outside);
    if (_bzhi_u32(exp, end)) return ef_number(b, n, p);
    // Only the number's own bytes: bit `end` and above are cleared.
    minus = _bzhi_u32(minus, end);
    dot = _bzhi_u32(dot, end);
    uint32_t lead = minus & 1;                            // an optional leading '-'
    uint32_t first_digit = 1u << lead;
    uint32_t bad = (first_digit & ~digit)                // a digit first (also: an empty number)
                   | (minus & ~1u)                        // '-' only first
                   | (dot & ~(digit << 1)) | ((dot << 1) & ~digit)  // a digit either side of '.'
                   | (dot & (dot - 1));                   // at most one '.'
    // Anything else (an invalid number, or a valid one followed by more number characters, as
    // `1-2`) goes bytewise, which ends where the Swift scanner ends.
    if (bad || (b[p + lead] == '0' && (digit & (first_digit << 1)))) return ef_number(b, n, p);  // no leading zero
    return p + (long)end;
}

#define EF_WALK ef_walk_avx2
#define EF_MATCH ef_match_avx2
#define EF_TARGET EF_AVX2
#define EF_STRING ef_string_avx2
#define EF_PLAIN_TEXT_END ef_plain_text_end_avx2
#define EF_NUMBER ef_number_avx2
#include "validate_walk.h"

EF_AVX2 static long ef_valid_string_avx2(const uint8_t *b, long n, long p) { return ef_string_avx2(b, n, p); }

static int ef_has_avx2(void) {
    // 0 unknown, 1 no, 2 yes; computing it twice from two threads gives the same answer.
    static int known = 0;
    int k = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (k == 0) {
        __builtin_cpu_init();
        k = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt") ? 2 : 1;
        __atomic_store_n(&known, k, __ATOMIC_RELAXED);
    }
    return k == 2;
}
#endif

long ef_skip_valid_value(const uint8_t *b, long n, long p, long depth, long max_depth) {
    // A lone scalar (most skipped members' values) without the walk's set-up. Lone numbers are
    // mostly short (COMBO skips `"z":0` in every point): bytewise costs least.
    uint8_t c = p < n ? b[p] : 0;
    if (ef_is_digit(c) || c == '-') return ef_number(b, n, p);
    if (c == 't') return ef_literal(b, n, p, "true", 4);
    if (c == 'f') return ef_literal(b, n, p, "false", 5);
    if (c == 'n') return ef_literal(b, n, p, "null", 4);
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (ef_has_avx2()) return c == '"' ? ef_valid_string_avx2(b, n, p) : ef_walk_avx2(b, n, p, depth, max_depth);
#endif
    return c == '"' ? ef_string(b, n, p) : ef_walk_portable(b, n, p, depth, max_depth);
}

long ef_skip_valid_value_portable(const uint8_t *b, long n, long p, long depth, long max_depth) {
    return ef_walk_portable(b, n, p, depth, max_depth);
}
