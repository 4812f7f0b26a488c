// The validating walk of `ef_skip_valid_value`, included once per instruction set: the file
// that includes it defines EF_WALK (the function's name), EF_TARGET (its attributes),
// EF_STRING (the name of its string scanner), EF_PLAIN_TEXT_END(b, n, p) (as ef_plain_text_end)
// and EF_NUMBER(b, n, p) (from a number's first byte to just past it). Scanners return -1 to
// hand the value back to Swift. The walk itself is the same everywhere.
//
// Arrays of objects of one shape (GeoJSON points, records) cost a token step per name, colon
// and comma. The walk therefore keeps the last flat object it validated in an array (one
// without nested containers) as a template, per thread and from one call to the next: its
// bytes with every string and number value cut out. An object that repeats those bytes
// exactly, with a valid string or number in each cut, is valid for the same reason the
// template was; one that does not is walked as usual (and may become the next template).

// From an opening quote to just past the closing one; -1 to fall back (non-ASCII text and \u
// escapes are left to Swift).
EF_TARGET static inline long EF_STRING(const uint8_t *b, long n, long p) {
    p++;
    for (;;) {
        p = EF_PLAIN_TEXT_END(b, n, p);
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

EF_TARGET static long EF_MATCH(const uint8_t *b, long n, long p, const ef_template *t) {
    for (int k = 0; k < t->slots; k++) {
        if (!ef_segment_at(b, n, p, t, k)) return -1;
        p += t->length[k];
        if (t->kind[k] == '"') {
            if (p >= n || b[p] != '"') return -1;
            p = EF_STRING(b, n, p);
        } else {
            p = EF_NUMBER(b, n, p);
        }
        if (p < 0) return -1;
    }
    if (!ef_segment_at(b, n, p, t, t->slots)) return -1;
    return p + t->length[t->slots];
}

EF_TARGET static long EF_WALK(const uint8_t *b, long n, long p, long depth, long max_depth) {
    uint8_t stack[256];  // '{' or '[' per open container
    int sp = 0;
    ef_template *t = &ef_last_template;
    long flat = -1;      // the last '{' opened, while no container has opened since
    int flat_sp = 0;     // the stack depth inside it
    int builds = 0;      // templates made in this call (a few at most)
value:
    p = ef_ws(b, n, p);
    if (p >= n) return -1;
    switch (b[p]) {
    case '{':
    case '[': {
        if (depth + sp >= max_depth || sp == (int)sizeof(stack)) return -1;
        uint8_t open = b[p];
        if (open == '{' && t->slots >= 0) {
            long end = EF_MATCH(b, n, p, t);
            if (end >= 0) {
                p = end;
                flat = -1;
                goto after_value;
            }
        }
        flat = open == '{' && builds < EF_MAX_TEMPLATES ? p : -1;
        stack[sp++] = open;
        flat_sp = sp;
        p = ef_ws(b, n, p + 1);
        if (p >= n) return -1;
        if (b[p] == (open == '{' ? '}' : ']')) {
            p++;
            sp--;
            flat = -1;
            goto after_value;
        }
        if (open == '{') goto member;
        goto value;
    }
    case '"': p = EF_STRING(b, n, p); break;
    case 't': p = ef_literal(b, n, p, "true", 4); break;
    case 'f': p = ef_literal(b, n, p, "false", 5); break;
    case 'n': p = ef_literal(b, n, p, "null", 4); break;
    default: p = EF_NUMBER(b, n, p); break;
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
        if (flat >= 0 && sp == flat_sp && sp >= 2 && stack[sp - 2] == '[') {
            builds++;
            if (!ef_make_template(b, flat, p, t)) t->slots = -1;
            flat = -1;
        }
        sp--;
        goto after_value;
    }
    return -1;
member:
    p = ef_ws(b, n, p);
    if (p >= n || b[p] != '"') return -1;
    p = EF_STRING(b, n, p);
    if (p < 0) return -1;
    p = ef_ws(b, n, p);
    if (p >= n || b[p] != ':') return -1;
    p++;
    goto value;
}
