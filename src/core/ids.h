#pragma once
// Identifiers Gatehouse hands out: "<prefix>-<environment>-<uuid v4>", e.g.
// "connected-app-test-1b4e28ba-2fa1-41d2-883f-0016d3cca427". The prefix keeps the namespaces of
// projects, clients, M2M clients, users and organizations apart (an M2M client id can never equal
// a user id), and no id ever starts with "https://" (that namespace belongs to CIMD client ids).

#include <string>
#include <string_view>

#include "core/random.h"

namespace gatehouse::core {

// A random (version 4) UUID in lower-case canonical text form.
std::string NewUuid(Random& random);

// "<prefix>-<environment>-<uuid>"; environment is "test" or "live".
std::string NewId(Random& random, std::string_view prefix, std::string_view environment);

}  // namespace gatehouse::core
