#pragma once
// Resource indicators (RFC 8707): the `resource` parameter names the protected resource(s) a token
// is for. Pure function; thread-safe.
//
// ValidateResources accepts each value only if it is an absolute URI (RFC 3986 §4.3) without a
// fragment, and returns kInvalidTarget otherwise (an empty value is not an absolute URI; callers
// drop empty parameters first, "empty = absent"). The parameter may repeat; the result keeps the
// first occurrence of each distinct value, in request order, compared as exact strings (never
// normalised, like every URI comparison in Gatehouse). Whether a resource is known or permitted is
// the grant's business, not this syntax check's.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gatehouse::core {

Result<std::vector<std::string>> ValidateResources(const std::vector<std::string_view>& values);

}  // namespace gatehouse::core
