#include "CStructuralSkip.h"

long ef_infix_walk(const uint8_t *bytes, long count, long from, const uint32_t *table, long classes,
                   const uint8_t *class_of, const uint32_t *first_output, uint32_t none, uint32_t *state) {
    // A loop with no call in it keeps everything in registers: a load of the byte's class, one
    // of the next state and one of its output per byte.
    uint32_t s = *state;
    for (long i = from; i < count; i++) {
        s = table[(long)s * classes + class_of[bytes[i]]];
        if (first_output[s] != none) {
            *state = s;
            return i;
        }
    }
    *state = s;
    return count;
}
