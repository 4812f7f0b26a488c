#ifndef C_STRUCTURAL_SKIP_H
#define C_STRUCTURAL_SKIP_H

#include <stddef.h>
#include <stdint.h>

/// Skips the JSON object or array that starts at bytes[start] ('{' or '['), looking only at
/// its structure: quotes, backslash escapes inside strings, and brackets outside strings.
/// Returns the offset just past its closing bracket, -1 when the input ends first, or -2 when
/// it nests deeper than max_depth.
long ef_skip_container(const uint8_t *bytes, long count, long start, long max_depth);

/// Skips one JSON value starting at bytes[start] (after optional whitespace) while validating
/// it: structure, strings (ASCII text and simple escapes), numbers and literals. `depth` is the
/// nesting level of the value and a container may open only below `max_depth`. Returns the
/// offset just past the value, or -1 when the value is invalid *or* uses something this fast
/// path does not check (non-ASCII bytes, \u escapes, very deep nesting): the caller then
/// validates it the slow way, which decides and reports the error.
long ef_skip_valid_value(const uint8_t *bytes, long count, long start, long depth, long max_depth);

#endif
