#ifndef C_STRUCTURAL_SKIP_H
#define C_STRUCTURAL_SKIP_H

#include <stddef.h>
#include <stdint.h>

/// Skips the JSON object or array that starts at bytes[start] ('{' or '['), looking only at
/// its structure: quotes, backslash escapes inside strings, and brackets outside strings.
/// Returns the offset just past its closing bracket, -1 when the input ends first, or -2 when
/// it nests deeper than max_depth.
long ef_skip_container(const uint8_t *bytes, long count, long start, long max_depth);

#endif
