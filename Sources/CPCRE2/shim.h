#ifndef EVENTFLOW_CPCRE2_SHIM_H
#define EVENTFLOW_CPCRE2_SHIM_H
// Swift cannot import PCRE2's width-generic function macros, so the shim fixes
// the code unit width at 8 bits and callers use the `_8` names directly.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2_ZERO_TERMINATED is a cast expression Swift cannot import.
static inline PCRE2_SIZE eventflow_pcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
#endif
