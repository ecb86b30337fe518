#pragma once
// NearestName: the known name a misspelt one most likely meant, for messages that refuse an
// unknown name ("unknown variable GATEHOUSE_LISTN (did you mean GATEHOUSE_LISTEN?)"). Distance is
// the optimal string alignment distance (insertions, deletions, substitutions and transpositions
// of adjacent characters each count 1), compared ASCII-case-insensitively; ties go to the earlier
// candidate. Pure; thread-safe.

#include <optional>
#include <span>
#include <string_view>

namespace gatehouse::core {

// The edit distance between `a` and `b`, as described above.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `name`; std::nullopt when there are no candidates, or none within
// `max_distance` edits.
std::optional<std::string_view> NearestName(std::string_view name,
                                            std::span<const std::string_view> candidates,
                                            size_t max_distance = SIZE_MAX);

}  // namespace gatehouse::core
